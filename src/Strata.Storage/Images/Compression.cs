using System.IO.Compression;
using Strata.Oci;
using Strata.Storage.Layers;

namespace Strata.Storage.Images;

/// <summary>Sniffs and undoes the compression of a tar stream (gzip, zstd or none), from its magic bytes.</summary>
public static class Compression
{
    /// <summary>Reads the first bytes of <paramref name="input"/>; returns the kind and a stream that still starts at byte 0.</summary>
    public static async Task<(LayerCompression Kind, Stream Stream)> SniffAsync(Stream input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var head = new byte[6];
        var n = 0;
        while (n < head.Length)
        {
            var r = await input.ReadAsync(head.AsMemory(n), cancellationToken).ConfigureAwait(false);
            if (r == 0)
            {
                break;
            }

            n += r;
        }

        var prefixed = new PrefixedStream(head.AsMemory(0, n), input);
        if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b)
        {
            return (LayerCompression.Gzip, prefixed);
        }

        if (n >= 4 && head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f && head[3] == 0xfd)
        {
            return (LayerCompression.Zstd, prefixed);
        }

        if (n >= 6 && head[0] == 0xfd && head.AsSpan(1, 5).SequenceEqual("7zXZ\0"u8))
        {
            throw StrataException.Invalid("COMPRESSION_UNSUPPORTED", "xz-compressed input is not supported; decompress it first");
        }

        if (n >= 3 && head[0] == (byte)'B' && head[1] == (byte)'Z' && head[2] == (byte)'h')
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
