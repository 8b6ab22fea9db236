using System.Globalization;
using Strata.Storage.Layers;

namespace Strata.Build.Analysis;

/// <summary>
/// Finds what makes an image bigger than it needs to be, from its layer tars alone (like dive's "wasted
/// space"): files an earlier layer added that a later layer deletes (whiteouts, opaque directories) or
/// overwrites still ship in the earlier layer; and package manager caches left in a layer.
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

        // Path -> (layer that added it, size) for regular files currently visible.
        var files = new Dictionary<string, (int Layer, long Size)>(StringComparer.Ordinal);
        var advice = new List<SlimmingAdvice>();
        for (var i = 0; i < layers.Count; i++)
        {
            var waste = new Dictionary<int, (long Bytes, List<string> Paths, bool Deleted)>();
            var cache = new Dictionary<string, long>(StringComparer.Ordinal);
            void Waste(string path, int earlier, long size, bool deleted)
            {
                if (!waste.TryGetValue(earlier, out var w))
                {
                    w = (0, [], false);
                }

                w.Paths.Add(path);
                waste[earlier] = (w.Bytes + size, w.Paths, w.Deleted || deleted);
            }

            void RemoveTree(string dir, bool keepSelf)
            {
                var prefix = dir.Length == 0 ? string.Empty : dir + "/";
                foreach (var p in files.Keys.Where(k => (prefix.Length == 0 || k.StartsWith(prefix, StringComparison.Ordinal)) || (!keepSelf && k == dir)).ToList())
                {
                    var (layer, size) = files[p];
                    if (layer != i)
                    {
                        Waste(p, layer, size, deleted: true);
                    }

                    files.Remove(p);
                }
            }

            await using (var blob = await layers[i].Open(cancellationToken).ConfigureAwait(false))
            {
                await foreach (var e in LayerReader.EnumerateAsync(blob, cancellationToken).ConfigureAwait(false))
                {
                    var path = e.Path.TrimEnd('/');
                    if (e.Whiteout == LayerWhiteout.Opaque)
                    {
                        RemoveTree(path, keepSelf: true);
                        continue;
                    }

                    if (e.Whiteout != LayerWhiteout.None)
                    {
                        RemoveTree(path, keepSelf: false);
                        continue;
                    }

                    if (files.TryGetValue(path, out var old) && old.Layer != i)
                    {
                        Waste(path, old.Layer, old.Size, deleted: false);
                        files.Remove(path);
                    }

                    if (e.Type == LayerEntryType.RegularFile)
                    {
                        files[path] = (i, e.Size);
                        foreach (var (prefix, name, _) in Caches)
                        {
                            if ((path + "/").StartsWith(prefix, StringComparison.Ordinal) && path.Length > prefix.Length - 1)
                            {
                                cache[name] = cache.GetValueOrDefault(name) + e.Size;
                            }
                        }
                    }
                    else if (e.Type != LayerEntryType.Directory)
                    {
                        files.Remove(path);
                    }
                }
            }

            if (i < firstReported)
            {
                continue;
            }

            foreach (var (earlier, w) in waste.OrderBy(x => x.Key))
            {
                if (w.Bytes < threshold)
                {
                    continue;
                }

                var verb = w.Deleted ? "deletes" : "overwrites";
                var shown = string.Join(", ", w.Paths.Take(3).Select(p => "/" + p)) + (w.Paths.Count > 3 ? $" and {w.Paths.Count - 3} more" : string.Empty);
                var message =
                    $"layer {i + 1} ({Describe(layers[i].CreatedBy)}) {verb} {shown} added by layer {earlier + 1} ({Describe(layers[earlier].CreatedBy)}): " +
                    $"{FormatBytes(w.Bytes)} are still in the image. Do both in one RUN (e.g. `... && rm ...`) or use a multi-stage build and COPY --from only what you need.";
                advice.Add(new SlimmingAdvice(SlimmingKind.Wasted, i, layers[i].CreatedBy, earlier, layers[earlier].CreatedBy, w.Bytes, w.Paths, message));
            }

            foreach (var (name, bytes) in cache)
            {
                if (bytes < Math.Min(threshold, 64 * 1024))
                {
                    continue;
                }

                var fix = Caches.First(c => c.Name == name).Fix;
                var message = $"layer {i + 1} ({Describe(layers[i].CreatedBy)}) leaves the {name} in the image ({FormatBytes(bytes)}): {fix}.";
                advice.Add(new SlimmingAdvice(SlimmingKind.PackageCache, i, layers[i].CreatedBy, null, null, bytes, [], message));
            }
        }

        return advice;
    }

    /// <summary>docker's units.HumanSize (decimal, 3 significant digits): <c>52.4MB</c>.</summary>
    public static string FormatBytes(long bytes)
    {
        string[] units = ["B", "kB", "MB", "GB", "TB"];
        double v = bytes;
        var u = 0;
        while (v >= 1000 && u < units.Length - 1)
        {
            v /= 1000;
            u++;
        }

        return v.ToString(v < 10 ? "0.##" : v < 100 ? "0.#" : "0", CultureInfo.InvariantCulture) + units[u];
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
