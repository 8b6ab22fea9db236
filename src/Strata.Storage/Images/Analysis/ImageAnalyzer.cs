using Strata.Storage.Content;
using Strata.Storage.Layers;

namespace Strata.Storage.Images.Analysis;

/// <summary>
/// Walks an image's layer blobs in order (listing entries, never extracting) and keeps the merged file tree,
/// charging every byte a later layer deletes (<c>.wh.</c>, opaque directories) or overwrites to the layer
/// that shipped it.
/// </summary>
public sealed class ImageAnalyzer
{
    private readonly IImageStore _images;
    private readonly IContentProvider _content;

    public ImageAnalyzer(IImageStore images, IContentProvider content)
    {
        _images = images;
        _content = content;
    }

    private sealed record Node(int Layer, long Size, bool IsDirectory);

    public async Task<ImageAnalysis> AnalyzeAsync(ImageRecord image, int top = 10, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        var (_, config) = await _images.ReadAsync(image, cancellationToken).ConfigureAwait(false);
        var layers = await _images.LayersAsync(image, cancellationToken).ConfigureAwait(false);
        var createdBy = (config.History ?? []).Where(h => h.EmptyLayer != true).Select(h => h.CreatedBy ?? string.Empty).ToList();
        var tree = new SortedDictionary<string, Node>(StringComparer.Ordinal);
        var wastedByLayer = new long[layers.Count];
        var wastedFiles = new Dictionary<string, (long Bytes, int Count)>(StringComparer.Ordinal);
        var results = new List<(int Added, int Changed, int Removed, long Content)>();
        long total = 0;

        void Waste(string path, Node old)
        {
            if (old.IsDirectory || old.Size == 0)
            {
                return;
            }

            wastedByLayer[old.Layer] += old.Size;
            var (b, c) = wastedFiles.TryGetValue(path, out var w) ? w : (0, 0);
            wastedFiles[path] = (b + old.Size, c + 1);
        }

        // Removes path and everything under it that lower layers made; returns how many files went.
        int RemoveTree(string path, int current, bool keepSelf)
        {
            var removed = 0;
            var victims = tree.Where(kv => kv.Value.Layer < current &&
                ((!keepSelf && kv.Key == path) || kv.Key.StartsWith(path.Length == 0 ? string.Empty : path + "/", StringComparison.Ordinal)))
                .ToList();
            foreach (var (p, node) in victims)
            {
                Waste(p, node);
                tree.Remove(p);
                if (!node.IsDirectory)
                {
                    removed++;
                }
            }

            return removed;
        }

        for (var i = 0; i < layers.Count; i++)
        {
            int added = 0, changed = 0, removed = 0;
            long content = 0;
            await using var blob = await _content.OpenReadAsync(layers[i].Digest, cancellationToken).ConfigureAwait(false);
            await foreach (var e in LayerReader.EnumerateAsync(blob, cancellationToken).ConfigureAwait(false))
            {
                switch (e.Whiteout)
                {
                    case LayerWhiteout.File:
                        removed += RemoveTree(e.Path, i, keepSelf: false);
                        continue;
                    case LayerWhiteout.Opaque:
                        removed += RemoveTree(e.Path, i, keepSelf: true);
                        continue;
                }

                var isDir = e.Type == LayerEntryType.Directory;
                var size = e.Type == LayerEntryType.RegularFile ? e.Size : 0;
                content += size;
                if (tree.TryGetValue(e.Path, out var old))
                {
                    if (isDir && old.IsDirectory)
                    {
                        continue;
                    }

                    if (old.Layer < i && !old.IsDirectory)
                    {
                        changed++;
                        Waste(e.Path, old);
                    }
                    else if (old.Layer < i && old.IsDirectory && !isDir)
                    {
                        // A file replaces a directory: the directory's contents go.
                        removed += RemoveTree(e.Path, i, keepSelf: true);
                        added++;
                    }
                }
                else if (!isDir)
                {
                    added++;
                }

                tree[e.Path] = new Node(i, size, isDir);
            }

            total += content;
            results.Add((added, changed, removed, content));
        }

        var analyses = layers.Select((l, i) => new LayerAnalysis(
            i,
            l.Digest,
            l.Size,
            results[i].Content,
            results[i].Added,
            results[i].Changed,
            results[i].Removed,
            wastedByLayer[i],
            i < createdBy.Count ? createdBy[i] : string.Empty)).ToList();
        var wasted = wastedByLayer.Sum();
        var topWasted = wastedFiles
            .OrderByDescending(kv => kv.Value.Bytes).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Take(top)
            .Select(kv => new WastedFile("/" + kv.Key, kv.Value.Bytes, kv.Value.Count))
            .ToList();
        return new ImageAnalysis(image.Id, analyses, total, wasted, total == 0 ? 1.0 : 1.0 - ((double)wasted / total), topWasted);
    }
}
