using System.IO.Compression;
using Strata.Oci;
using Strata.Storage.Layers;
using Strata.Storage.Streams;

namespace Strata.Storage.Images;

/// <summary>Sniffs and undoes the compression of a tar stream (gzip, zstd or none), from its magic bytes.</summary>
public static class Compression
{
    /// <summary>Reads the first bytes of <paramref name="input"/>; returns the kind and a stream that still starts at byte 0.</summary>
    public static async Task<(LayerCompression Kind, Stream Stream)> SniffAsync(Stream input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (prefixed, peeked) = await PrefixedStream.PeekAsync(input, 6, leaveOpen: false, cancellationToken).ConfigureAwait(false);
        var head = peeked.Span;
        if (LayerStreams.Detect(head) is not LayerCompression.None and var kind)
        {
            return (kind, prefixed);
        }

        if (head.StartsWith("\xfd7zXZ\0"u8))
        {
            throw StrataException.Invalid("COMPRESSION_UNSUPPORTED", "xz-compressed input is not supported; decompress it first");
        }

        if (head.StartsWith("BZh"u8))
        {
            throw StrataException.Invalid("COMPRESSION_UNSUPPORTED", "bzip2-compressed input is not supported; decompress it first");
        }

        return (LayerCompression.None, prefixed);
    }

    /// <summary>A stream of the uncompressed bytes of <paramref name="input"/>, whatever its compression.</summary>
    public static async Task<Stream> DecompressAsync(Stream input, CancellationToken cancellationToken = default)
    {
        var (kind, s) = await SniffAsync(input, cancellationToken).ConfigureAwait(false);
        return kind switch
        {
            LayerCompression.Gzip => new GZipStream(s, CompressionMode.Decompress),
            LayerCompression.Zstd => new ZstdSharp.DecompressionStream(s),
            _ => s,
        };
    }

    public static LayerCompression FromMediaType(string mediaType) =>
        mediaType.EndsWith("gzip", StringComparison.Ordinal) ? LayerCompression.Gzip
        : mediaType.EndsWith("zstd", StringComparison.Ordinal) ? LayerCompression.Zstd
        : LayerCompression.None;
}
