using Strata.Oci;
using Strata.Storage.Content;

namespace Strata.Storage.Images;

/// <summary>
/// <c>system df</c> for images: per image size, shared (layers another image also uses) and unique bytes;
/// totals count each layer once. Sizes are uncompressed where known (as docker shows them), else as stored.
/// </summary>
public sealed record DiskUsage(
    IReadOnlyList<ImageSpace> Images,
    int ActiveImages,
    long TotalSize,
    long SharedSize,
    long Reclaimable,
    int Layers,
    int SharedLayers,
    int Blobs,
    long BlobBytes)
{
    public static async Task<DiskUsage> ComputeAsync(IImageStore store, IContentManager content, IEnumerable<IImageUsageCheck> usage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(usage);
        var images = await store.ListAsync(cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false);
        var layersOf = new Dictionary<Digest, IReadOnlyList<ImageLayer>>();
        var users = new Dictionary<Digest, int>();
        var checks = usage.ToList();
        foreach (var i in images)
        {
            layersOf[i.Id] = await store.LayersAsync(i, cancellationToken).ConfigureAwait(false);
            var n = 0;
            foreach (var c in checks)
            {
                n += (await c.UsersAsync(i.Id, cancellationToken).ConfigureAwait(false)).Count;
            }

            users[i.Id] = n;
        }

        var layerSize = new Dictionary<Digest, long>();
        var layerImages = new Dictionary<Digest, HashSet<Digest>>();
        foreach (var (id, layers) in layersOf)
        {
            foreach (var l in layers)
            {
                layerSize[l.Digest] = l.UncompressedSize ?? l.Size;
                if (!layerImages.TryGetValue(l.Digest, out var set))
                {
                    layerImages[l.Digest] = set = [];
                }

                set.Add(id);
            }
        }

        var spaces = images.Select(i =>
        {
            var distinct = layersOf[i.Id].Select(l => l.Digest).Distinct().ToList();
            var shared = distinct.Where(d => layerImages[d].Count > 1).Sum(d => layerSize[d]);
            var unique = distinct.Where(d => layerImages[d].Count == 1).Sum(d => layerSize[d]);
            return new ImageSpace(i, shared + unique, shared, unique, users[i.Id]);
        }).ToList();
        var active = images.Where(i => users[i.Id] > 0).Select(i => i.Id).ToHashSet();
        var total = layerSize.Values.Sum();
        var sharedTotal = layerImages.Where(kv => kv.Value.Count > 1).Sum(kv => layerSize[kv.Key]);
        var reclaimable = layerImages.Where(kv => !kv.Value.Overlaps(active)).Sum(kv => layerSize[kv.Key]);
        var blobs = 0;
        long blobBytes = 0;
        await foreach (var b in content.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            blobs++;
            blobBytes += b.Size;
        }

        return new DiskUsage(spaces, active.Count, total, sharedTotal, reclaimable, layerSize.Count, layerImages.Count(kv => kv.Value.Count > 1), blobs, blobBytes);
    }
}
