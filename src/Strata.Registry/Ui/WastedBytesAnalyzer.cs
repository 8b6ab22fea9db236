using System.Collections.Concurrent;
using System.Formats.Tar;
using System.IO.Compression;
using Strata.Oci;

namespace Strata.Registry.Ui;

/// <summary>
/// Computes wasted bytes from the layer blobs in the content store, like `image analyze`:
/// a file written in one layer and overwritten or deleted (OCI whiteout) in a later one still
/// costs its bytes. Results are cached by manifest digest (immutable content, so never stale).
/// </summary>
public sealed class WastedBytesAnalyzer
{
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

        // path -> size of its visible copy; path -> bytes of hidden copies and how many
        var seen = new Dictionary<string, long>(StringComparer.Ordinal);
        var wasted = new Dictionary<string, (long Bytes, int Copies)>(StringComparer.Ordinal);
        long total = 0;
        foreach (var layer in layers)
        {
            await using var blob = await openBlob(layer.Digest, cancellationToken).ConfigureAwait(false)
                ?? throw StrataException.NotFound("BLOB_UNKNOWN", $"layer {layer.Digest} is not in the content store");
            await using var plain = await DecompressAsync(blob, cancellationToken).ConfigureAwait(false);
            await using var reader = new TarReader(plain, leaveOpen: true);
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                var path = Normalize(entry.Name);
                var name = Path.GetFileName(path);
                if (name.StartsWith(".wh.", StringComparison.Ordinal))
                {
                    var dir = Path.GetDirectoryName(path) ?? string.Empty;
                    if (name == ".wh..wh..opq")
                    {
                        foreach (var key in seen.Keys.Where(k => k.StartsWith(dir + "/", StringComparison.Ordinal)).ToList())
                        {
                            Waste(seen, wasted, key);
                        }
                    }
                    else
                    {
                        var target = (dir.Length == 0 ? string.Empty : dir + "/") + name[4..];
                        foreach (var key in seen.Keys.Where(k => k == target || k.StartsWith(target + "/", StringComparison.Ordinal)).ToList())
                        {
                            Waste(seen, wasted, key);
                        }
                    }

                    continue;
                }

                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile))
                {
                    continue;
                }

                total += entry.Length;
                if (seen.ContainsKey(path))
                {
                    // an upper layer overwrites: the earlier copy still ships in its layer
                    Waste(seen, wasted, path);
                }

                seen[path] = entry.Length;
            }
        }

        var files = wasted.Where(kv => kv.Value.Bytes > 0)
            .Select(kv => new WastedFile(kv.Key, kv.Value.Bytes, kv.Value.Copies))
            .OrderByDescending(f => f.WastedBytes).ThenBy(f => f.Path, StringComparer.Ordinal)
            .Take(200)
            .ToList();
        var report = new WastedBytesReport(total, wasted.Values.Sum(w => w.Bytes), files);
        _cache[manifestDigest] = report;
        return report;
    }

    private static void Waste(Dictionary<string, long> seen, Dictionary<string, (long Bytes, int Copies)> wasted, string key)
    {
        var (bytes, copies) = wasted.GetValueOrDefault(key);
        wasted[key] = (bytes + seen[key], copies + 1);
        seen.Remove(key);
    }

    private static string Normalize(string name)
    {
        var n = name.Replace('\\', '/');
        while (n.StartsWith("./", StringComparison.Ordinal))
        {
            n = n[2..];
        }

        return n.TrimStart('/').TrimEnd('/');
    }

    private static async Task<Stream> DecompressAsync(Stream blob, CancellationToken cancellationToken)
    {
        var buffered = new BufferedStream(blob, 65536);
        var head = new byte[2];
        var read = await buffered.ReadAsync(head, cancellationToken).ConfigureAwait(false);
        // BufferedStream cannot un-read, so peek through a small prefix stream instead.
        var prefixed = new PrefixStream(head.AsMemory(0, read), buffered);
        return read == 2 && head[0] == 0x1f && head[1] == 0x8b ? new GZipStream(prefixed, CompressionMode.Decompress) : prefixed;
    }
}
