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
    public Task<LayerDiffResult> DiffAsync(string dir, Stream output, LayerCompression compression, bool overlayWhiteouts, CancellationToken cancellationToken = default)
    {
        var root = CheckDir(dir);
        return WriteAsync(output, compression, overlayWhiteouts, walk => walk.WriteDirectoryAsync(root, "", cancellationToken), cancellationToken);
    }

    /// <summary>
    /// The layer that turns full tree <paramref name="lowerDir"/> into full tree <paramref name="upperDir"/>
    /// (copy-based snapshots): added and changed entries, their parent directories, and <c>.wh.</c> whiteouts
    /// for deleted paths.
    /// </summary>
    public Task<LayerDiffResult> DiffTreesAsync(string lowerDir, string upperDir, Stream output, LayerCompression compression, CancellationToken cancellationToken = default)
    {
        var lower = CheckDir(lowerDir);
        var upper = CheckDir(upperDir);
        return WriteAsync(output, compression, false, walk => new TreeDiffWalk(walk).DiffAsync(lower, upper, "", cancellationToken), cancellationToken);
    }

    private static string CheckDir(string dir)
    {
        var root = Path.GetFullPath(dir).TrimEnd('/');
        if (UnixFs.TryLstat(root) is not { IsDirectory: true })
        {
            throw StrataException.NotFound("LAYER_SOURCE_NOT_FOUND", $"directory {dir} does not exist");
        }

        return root;
    }

    private static async Task<LayerDiffResult> WriteAsync(Stream output, LayerCompression compression, bool overlayWhiteouts, Func<DiffWalk, Task> walkTree, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);

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
                    await walkTree(walk).ConfigureAwait(false);
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
