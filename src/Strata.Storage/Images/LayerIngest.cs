using System.Formats.Tar;
using System.IO.Compression;
using Strata.Oci;
using Strata.Storage.Content;
using Strata.Storage.Layers;

namespace Strata.Storage.Images;

/// <summary>
/// Turns an uncompressed tar stream into a layer blob in the content store: compress, hash the tar (DiffID)
/// and the blob (digest) in the same pass, commit. Optionally parses the tar as it goes so a truncated or
/// garbage input fails before anything is committed.
/// </summary>
public static class LayerIngest
{
    public static async Task<LayerBlob> FromTarAsync(
        IContentIngester content,
        Stream tar,
        LayerCompression compression = LayerCompression.Gzip,
        bool validate = true,
        ImageFormat format = ImageFormat.Docker,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(tar);
        var writer = await content.OpenWriterAsync($"layer-{Environment.ProcessId}-{Guid.NewGuid():N}", cancellationToken).ConfigureAwait(false);
        var committed = false;
        try
        {
            Digest diffId;
            long uncompressed;
            var sink = new ContentWriterStream(writer);
            var compressor = compression switch
            {
                LayerCompression.Gzip => new GZipStream(sink, CompressionLevel.Fastest, leaveOpen: true),
                LayerCompression.Zstd => new ZstdSharp.CompressionStream(sink, 3, leaveOpen: true),
                _ => (Stream)sink,
            };
            await using (compressor.ConfigureAwait(false))
            {
                using var hashing = new DigestingStream(compressor, leaveOpen: true);
                await CopyAsync(tar, hashing, validate, cancellationToken).ConfigureAwait(false);
                diffId = hashing.Digest;
                uncompressed = hashing.BytesHashed;
                await compressor.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            var size = writer.Offset;
            var digest = await writer.CommitAsync(size, null, cancellationToken).ConfigureAwait(false);
            committed = true;
            var mediaType = (compression, format) switch
            {
                (LayerCompression.Gzip, ImageFormat.Docker) => MediaTypes.DockerLayerGzip,
                (LayerCompression.Gzip, _) => MediaTypes.OciLayerGzip,
                (LayerCompression.Zstd, _) => MediaTypes.OciLayerZstd,
                (_, ImageFormat.Docker) => ImageWriter.DockerLayerUncompressed,
                _ => MediaTypes.OciLayer,
            };
            return new LayerBlob(digest, size, mediaType, diffId, uncompressed);
        }
        finally
        {
            if (!committed)
            {
                await writer.AbortAsync(CancellationToken.None).ConfigureAwait(false);
            }

            await writer.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task CopyAsync(Stream tar, Stream sink, bool validate, CancellationToken cancellationToken)
    {
        try
        {
            if (!validate)
            {
                await tar.CopyToAsync(sink, 1 << 17, cancellationToken).ConfigureAwait(false);
                return;
            }

            var tee = new TeeReadStream(tar, sink);
            var entries = 0;
            await using (var reader = new TarReader(tee, leaveOpen: true))
            {
                while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    entries++;
                    if (entry.DataStream is { } data)
                    {
                        // Reading the data through the tee is what stores it; it also catches truncation.
                        await data.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            // What follows the end-of-archive marker (padding) is part of the layer as given.
            await tee.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
            if (entries == 0)
            {
                throw StrataException.Invalid("TAR_INVALID", "invalid tar archive: no entries");
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or ZstdSharp.ZstdException)
        {
            throw StrataException.Invalid("TAR_INVALID", $"invalid tar archive: {e.Message}", e);
        }
    }
}
