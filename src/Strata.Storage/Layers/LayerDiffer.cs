using Strata.Oci;

namespace Strata.Storage.Layers;

/// <summary>
/// Writes a directory as a layer: entries sorted ordinally, numeric uid/gid without names, mode and mtime (whole
/// seconds) as on disk, hardlinks detected by inode, extended attributes (not overlay's own, not SELinux labels).
/// With overlay whiteouts on, a 0/0 character device becomes <c>.wh.NAME</c> and a directory marked
/// <c>trusted.overlay.opaque=y</c> is followed by <c>.wh..wh..opq</c>. Compression, digest and DiffID happen
/// in the same pass that writes the output; the same tree always gives the same bytes.
/// </summary>
public sealed class LayerDiffer : ILayerDiffer
{
    public async Task<LayerDiffResult> DiffAsync(string dir, Stream output, LayerCompression compression, bool overlayWhiteouts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        var root = Path.GetFullPath(dir).TrimEnd('/');
        if (UnixFs.TryLstat(root) is not { IsDirectory: true })
        {
            throw StrataException.NotFound("LAYER_SOURCE_NOT_FOUND", $"directory {dir} does not exist");
        }

        var blobDigest = new DigestingStream(output, leaveOpen: true);
        await using (blobDigest.ConfigureAwait(false))
        {
            Digest diffId;
            long tarSize;
            var compressor = LayerStreams.OpenCompressor(blobDigest, compression);
            await using (compressor.ConfigureAwait(false))
            {
                var tarDigest = new DigestingStream(compressor, leaveOpen: true);
                await using (tarDigest.ConfigureAwait(false))
                {
                    // Not disposed: disposing a BufferedStream would dispose the digesting stream under it.
                    var buffered = new BufferedStream(tarDigest, 64 * 1024);
                    var walk = new DiffWalk(new LayerTarWriter(buffered), overlayWhiteouts);
                    await walk.WriteDirectoryAsync(root, "", cancellationToken).ConfigureAwait(false);
                    await walk.Writer.FinishAsync(cancellationToken).ConfigureAwait(false);
                    await buffered.FlushAsync(cancellationToken).ConfigureAwait(false);
                    diffId = tarDigest.Digest;
                    tarSize = tarDigest.BytesHashed;
                }
            }

            await blobDigest.FlushAsync(cancellationToken).ConfigureAwait(false);
            return new LayerDiffResult(blobDigest.Digest, blobDigest.BytesHashed, diffId, tarSize, LayerStreams.MediaType(compression));
        }
    }
}
