using Strata.Oci;
using Strata.Storage.Images.Analysis;
using Strata.Storage.Layers;

namespace Strata.Build.Analysis;

/// <summary>
/// Finds what makes an image bigger than it needs to be, from its layer tars alone (like dive's "wasted
/// space"): files an earlier layer added that a later layer deletes or overwrites still ship in the earlier
/// layer (found by the shared <see cref="WasteWalker"/>); and package manager caches left in a layer.
/// </summary>
public static class SlimmingAnalyzer
{
    /// <summary>Findings smaller than this are not worth a warning.</summary>
    public const long DefaultThreshold = 1024 * 1024;

    private static readonly (string Prefix, string Name, string Fix)[] Caches =
    [
        ("var/lib/apt/lists/", "apt package lists", "end the RUN that calls apt-get with `&& rm -rf /var/lib/apt/lists/*`"),
        ("var/cache/apt/", "apt package cache", "run `apt-get clean` in the same RUN as apt-get install"),
        ("var/cache/apk/", "apk cache", "use `apk add --no-cache`"),
        ("root/.cache/pip/", "pip cache", "use `pip install --no-cache-dir`"),
        ("root/.npm/", "npm cache", "run `npm cache clean --force` in the same RUN"),
        ("usr/local/share/.cache/yarn/", "yarn cache", "run `yarn cache clean` in the same RUN"),
        ("var/cache/yum/", "yum cache", "run `yum clean all` in the same RUN"),
        ("var/cache/dnf/", "dnf cache", "run `dnf clean all` in the same RUN"),
    ];

    /// <param name="firstReported">Only layers from this index on are blamed (the ones a build added).</param>
    public static async Task<IReadOnlyList<SlimmingAdvice>> AnalyzeAsync(IReadOnlyList<LayerSource> layers, int firstReported = 0, long threshold = DefaultThreshold, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(layers);

        var cache = new Dictionary<string, long>[layers.Count];
        void FindCaches(int layer, LayerEntry e)
        {
            if (e.Type != LayerEntryType.RegularFile)
            {
                return;
            }

            var path = e.Path.TrimEnd('/');
            foreach (var (prefix, name, _) in Caches)
            {
                if ((path + "/").StartsWith(prefix, StringComparison.Ordinal) && path.Length > prefix.Length - 1)
                {
                    var found = cache[layer] ??= new Dictionary<string, long>(StringComparer.Ordinal);
                    found[name] = found.GetValueOrDefault(name) + e.Size;
                }
            }
        }

        var walk = await WasteWalker.WalkAsync([.. layers.Select(l => l.Open)], FindCaches, cancellationToken).ConfigureAwait(false);
        var advice = new List<SlimmingAdvice>();
        for (var i = Math.Max(firstReported, 0); i < layers.Count; i++)
        {
            foreach (var byEarlier in walk.Waste.Where(w => w.Layer == i).GroupBy(w => w.EarlierLayer).OrderBy(g => g.Key))
            {
                var earlier = byEarlier.Key;
                var w = (Bytes: byEarlier.Sum(x => x.Bytes), Paths: byEarlier.Select(x => x.Path).ToList(), Deleted: byEarlier.Any(x => x.Deleted));
                if (w.Bytes < threshold)
                {
                    continue;
                }

                var verb = w.Deleted ? "deletes" : "overwrites";
                var shown = string.Join(", ", w.Paths.Take(3).Select(p => "/" + p)) + (w.Paths.Count > 3 ? $" and {w.Paths.Count - 3} more" : string.Empty);
                var message =
                    $"layer {i + 1} ({Describe(layers[i].CreatedBy)}) {verb} {shown} added by layer {earlier + 1} ({Describe(layers[earlier].CreatedBy)}): " +
                    $"{Units.FormatSize(w.Bytes)} are still in the image. Do both in one RUN (e.g. `... && rm ...`) or use a multi-stage build and COPY --from only what you need.";
                advice.Add(new SlimmingAdvice(SlimmingKind.Wasted, i, layers[i].CreatedBy, earlier, layers[earlier].CreatedBy, w.Bytes, w.Paths, message));
            }

            foreach (var (name, bytes) in cache[i] ?? new Dictionary<string, long>())
            {
                if (bytes < Math.Min(threshold, 64 * 1024))
                {
                    continue;
                }

                var fix = Caches.First(c => c.Name == name).Fix;
                var message = $"layer {i + 1} ({Describe(layers[i].CreatedBy)}) leaves the {name} in the image ({Units.FormatSize(bytes)}): {fix}.";
                advice.Add(new SlimmingAdvice(SlimmingKind.PackageCache, i, layers[i].CreatedBy, null, null, bytes, [], message));
            }
        }

        return advice;
    }

    private static string Describe(string? createdBy)
    {
        if (string.IsNullOrEmpty(createdBy))
        {
            return "unknown";
        }

        var s = createdBy;
        foreach (var prefix in new[] { "/bin/sh -c #(nop) ", "/bin/sh -c " })
        {
            if (s.StartsWith(prefix, StringComparison.Ordinal))
            {
                s = s[prefix.Length..].Trim();
                if (prefix == "/bin/sh -c ")
                {
                    s = "RUN " + s;
                }

                break;
            }
        }

        return s.Length > 60 ? s[..57] + "..." : s;
    }
}
