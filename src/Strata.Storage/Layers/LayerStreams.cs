using System.IO.Compression;
using ZstdSharp;
using Strata.Storage.Streams;

namespace Strata.Storage.Layers;

/// <summary>Compression detection and the decompress/compress stream wrappers layers go through.</summary>
public static class LayerStreams
{
    /// <summary>Sniffs gzip (1f 8b) or zstd (28 b5 2f fd) magic; anything else is a plain tar.</summary>
    public static async Task<(LayerCompression Compression, Stream Tar)> OpenDecompressedAsync(Stream blob, bool leaveOpen, CancellationToken cancellationToken)
    {
        var (prefixed, magic) = await PrefixedStream.PeekAsync(blob, 4, leaveOpen, cancellationToken).ConfigureAwait(false);
        var compression = Detect(magic.Span);
        Stream tar = compression switch
        {
            LayerCompression.Gzip => new GZipStream(prefixed, CompressionMode.Decompress, leaveOpen: false),
            LayerCompression.Zstd => new DecompressionStream(prefixed, leaveOpen: false),
            _ => prefixed,
        };
        return (compression, tar);
    }

    public static LayerCompression Detect(ReadOnlySpan<byte> magic) =>
        magic.StartsWith((ReadOnlySpan<byte>)[0x1f, 0x8b]) ? LayerCompression.Gzip
        : magic.StartsWith((ReadOnlySpan<byte>)[0x28, 0xb5, 0x2f, 0xfd]) ? LayerCompression.Zstd
        : LayerCompression.None;

    /// <summary>A compressing writer over <paramref name="output"/> (left open).</summary>
    public static Stream OpenCompressor(Stream output, LayerCompression compression) => compression switch
    {
        // Fastest: layers are written on commit/build paths where latency matters more than a few percent.
        LayerCompression.Gzip => new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true),
        LayerCompression.Zstd => new CompressionStream(output, level: 3, leaveOpen: true),
        _ => new NonClosingStream(output),
    };

    /// <summary>The OCI media type of a layer with that compression.</summary>
    public static string MediaType(LayerCompression compression) => compression switch
    {
        LayerCompression.Gzip => Oci.MediaTypes.OciLayerGzip,
        LayerCompression.Zstd => Oci.MediaTypes.OciLayerZstd,
        _ => Oci.MediaTypes.OciLayer,
    };

    /// <summary>Reads and discards the rest of a stream (so its hash covers every byte).</summary>
    public static async Task<long> DrainAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buf = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            long total = 0;
            int n;
            while ((n = await stream.ReadAsync(buf, cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += n;
            }

            return total;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buf);
        }
    }
}
