using Strata.Oci;

namespace Strata.Storage.Layers;

/// <summary>
/// Unpacks layer blobs (gzip, zstd or plain tar) into a directory in one streaming pass that also hashes the
/// compressed bytes (digest) and the tar (DiffID). Safe against hostile archives: names are normalized and
/// may not climb out of the root; every parent directory is resolved inside the root (symlinks followed as a
/// chroot would, refused when they lead out); the final component is never followed; hardlink targets are
/// resolved the same way; device nodes obey <see cref="DevicePolicy"/>.
/// </summary>
public sealed class LayerApplier : ILayerApplier
{
    public async Task<LayerApplyResult> ApplyAsync(Stream blob, string targetDir, LayerApplyOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blob);
        ArgumentNullException.ThrowIfNull(options);
        options = options with { Subdirectory = LayerPath.Normalize(options.Subdirectory) };
        var root = Path.GetFullPath(targetDir).TrimEnd('/');
        if (root.Length == 0 || UnixFs.TryLstat(root) is not { IsDirectory: true })
        {
            throw StrataException.NotFound("LAYER_TARGET_NOT_FOUND", $"layer target directory {targetDir} does not exist");
        }

        var compressed = new DigestingStream(blob, expected: null, leaveOpen: true, algorithm: options.ExpectedDigest?.Algorithm ?? DigestAlgorithm.Sha256);
        await using (compressed.ConfigureAwait(false))
        {
            var (_, tar) = await LayerStreams.OpenDecompressedAsync(compressed, leaveOpen: true, cancellationToken).ConfigureAwait(false);
            await using (tar.ConfigureAwait(false))
            {
                var uncompressed = new DigestingStream(tar, leaveOpen: true, algorithm: options.ExpectedDiffId?.Algorithm ?? DigestAlgorithm.Sha256);
                await using (uncompressed.ConfigureAwait(false))
                {
                    var session = new ApplySession(root, options);
                    var buffered = new BufferedStream(uncompressed, 128 * 1024);
                    await using (buffered.ConfigureAwait(false))
                    {
                        long entries;
                        try
                        {
                            entries = await session.RunAsync(new LayerTarReader(buffered), cancellationToken).ConfigureAwait(false);

                            // Hash every byte: tar padding after the end marker, then anything after the compressed stream.
                            await LayerStreams.DrainAsync(buffered, cancellationToken).ConfigureAwait(false);
                            await LayerStreams.DrainAsync(compressed, cancellationToken).ConfigureAwait(false);
                        }
                        catch (Exception e) when (e is InvalidDataException or ZstdSharp.ZstdException)
                        {
                            throw LayerErrors.Corrupted(e);
                        }
                        var digest = compressed.Digest;
                        var diffId = uncompressed.Digest;
                        if (options.ExpectedDigest is { } wantDigest && wantDigest != digest)
                        {
                            throw StrataException.DataLoss(LayerErrors.DigestMismatch, $"layer blob digest mismatch: expected {wantDigest}, got {digest}");
                        }

                        if (options.ExpectedDiffId is { } wantDiff && wantDiff != diffId)
                        {
                            throw StrataException.DataLoss(LayerErrors.DiffIdMismatch, $"layer DiffID mismatch: expected {wantDiff}, got {diffId}");
                        }

                        session.FinishDirectoryTimes();
                        return new LayerApplyResult(digest, diffId, compressed.BytesHashed, uncompressed.BytesHashed, entries);
                    }
                }
            }
        }
    }
}
