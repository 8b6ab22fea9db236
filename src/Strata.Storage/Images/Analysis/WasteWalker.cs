using Strata.Storage.Layers;

namespace Strata.Storage.Images.Analysis;

/// <summary>
/// The one wasted-bytes analysis (<c>image analyze</c>, the build's slimming warning, the registry UI): walks
/// layer blobs in order through <see cref="LayerReader"/> (gzip, zstd or plain; listing entries, never
/// extracting), keeps the merged tree and reports every file a later layer deletes (<c>.wh.</c>, opaque
/// directories, a file over a directory) or overwrites, charged to the layer that shipped it.
/// </summary>
public static class WasteWalker
{
    /// <param name="layers">Opens each layer blob, bottom first.</param>
    /// <param name="onEntry">Sees every non-whiteout entry with its layer index (e.g. to find package caches).</param>
    public static async Task<WasteWalk> WalkAsync(
        IReadOnlyList<Func<CancellationToken, Task<Stream>>> layers,
        Action<int, LayerEntry>? onEntry = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var tree = new SortedDictionary<string, Node>(StringComparer.Ordinal);
        var waste = new List<LayerWaste>();
        var changes = new List<LayerChanges>();
        for (var i = 0; i < layers.Count; i++)
        {
            int added = 0, changed = 0, removed = 0;
            long content = 0;
            await using var blob = await layers[i](cancellationToken).ConfigureAwait(false);
            await foreach (var e in LayerReader.EnumerateAsync(blob, cancellationToken).ConfigureAwait(false))
            {
                var path = e.Path.TrimEnd('/');
                switch (e.Whiteout)
                {
                    case LayerWhiteout.File:
                        removed += RemoveTree(tree, waste, path, i, keepSelf: false);
                        continue;
                    case LayerWhiteout.Opaque:
                        removed += RemoveTree(tree, waste, path, i, keepSelf: true);
                        continue;
                }

                onEntry?.Invoke(i, e);
                var isDir = e.Type == LayerEntryType.Directory;
                var size = e.Type == LayerEntryType.RegularFile ? e.Size : 0;
                content += size;
                if (tree.TryGetValue(path, out var old))
                {
                    if (isDir && old.IsDirectory)
                    {
                        continue;
                    }

                    if (old.Layer < i && !old.IsDirectory)
                    {
                        changed++;
                        waste.Add(new LayerWaste(i, old.Layer, path, old.Size, Deleted: false));
                    }
                    else if (old.Layer < i && old.IsDirectory && !isDir)
                    {
                        // A file replaces a directory: the directory's contents go.
                        removed += RemoveTree(tree, waste, path, i, keepSelf: true);
                        added++;
                    }
                }
                else if (!isDir)
                {
                    added++;
                }

                tree[path] = new Node(i, size, isDir);
            }

            changes.Add(new LayerChanges(added, changed, removed, content));
        }

        return new WasteWalk(changes, waste);
    }

    /// <summary>Removes <paramref name="path"/> (unless <paramref name="keepSelf"/>) and everything under it that lower layers made; returns how many files went.</summary>
    private static int RemoveTree(SortedDictionary<string, Node> tree, List<LayerWaste> waste, string path, int current, bool keepSelf)
    {
        var prefix = path.Length == 0 ? string.Empty : path + "/";
        var victims = tree.Where(kv => kv.Value.Layer < current && ((!keepSelf && kv.Key == path) || kv.Key.StartsWith(prefix, StringComparison.Ordinal))).ToList();
        var removed = 0;
        foreach (var (p, node) in victims)
        {
            tree.Remove(p);
            if (!node.IsDirectory)
            {
                waste.Add(new LayerWaste(current, node.Layer, p, node.Size, Deleted: true));
                removed++;
            }
        }

        return removed;
    }

    private sealed record Node(int Layer, long Size, bool IsDirectory);
}
