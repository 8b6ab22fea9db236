using System.Collections.Concurrent;
using Strata.Oci;
using Strata.Storage.Images.Analysis;

namespace Strata.Registry.Ui;

/// <summary>
/// The UI's wasted bytes of a manifest: the shared <see cref="WasteWalker"/> (as <c>image analyze</c> and the
/// build warning use it) over the layer blobs in the registry's content store. Results are cached by manifest
/// digest (immutable content, so never stale).
/// </summary>
public sealed class WastedBytesAnalyzer
{
    private const int MaxFiles = 200;
    private readonly ConcurrentDictionary<Digest, WastedBytesReport> _cache = new();

    public int CachedCount => _cache.Count;

    public async Task<WastedBytesReport> AnalyzeAsync(
        Digest manifestDigest,
        IReadOnlyList<Descriptor> layers,
        Func<Digest, CancellationToken, Task<Stream?>> openBlob,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(openBlob);
        if (_cache.TryGetValue(manifestDigest, out var cached))
        {
            return cached;
        }

        var walk = await WasteWalker.WalkAsync(
            [.. layers.Select(l => (Func<CancellationToken, Task<Stream>>)(async ct => await openBlob(l.Digest, ct).ConfigureAwait(false)
                ?? throw StrataException.NotFound("BLOB_UNKNOWN", $"layer {l.Digest} is not in the content store")))],
            null,
            cancellationToken).ConfigureAwait(false);
        var files = WastedFile.Top(walk.Waste, MaxFiles).Select(f => new UiWastedFile(f.Path, f.WastedBytes, f.Count)).ToList();
        var report = new WastedBytesReport(walk.TotalContentSize, walk.WastedBytes, files);
        _cache[manifestDigest] = report;
        return report;
    }
}
