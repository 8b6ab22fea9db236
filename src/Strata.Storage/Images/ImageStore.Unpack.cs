using Strata.Oci;
using Strata.Storage.Layers;
using Strata.Storage.Snapshots;

namespace Strata.Storage.Images;

public sealed partial class ImageStore
{
    /// <summary>Prefix of the active snapshots an unpack stages layers in; `system check` cleans those of dead processes.</summary>
    public const string StagingPrefix = "unpack-";

    public async Task<string?> UnpackAsync(ImageRecord image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (_snapshots is null || _applier is null)
        {
            throw StrataException.Precondition("UNPACK_UNAVAILABLE", "this store has no snapshotter to unpack images into");
        }

        var layers = await LayersAsync(image, cancellationToken).ConfigureAwait(false);
        string? parent = null;
        foreach (var layer in layers)
        {
            var key = layer.ChainId.ToString();
            var info = await _snapshots.StatAsync(key, cancellationToken).ConfigureAwait(false);
            if (info is null || info.Kind != SnapshotKind.Committed)
            {
                var size = await UnpackLayerAsync(_snapshots, _applier, layer, key, parent, cancellationToken).ConfigureAwait(false);
                if (size is { } s && layer.UncompressedSize != s)
                {
                    await SetUncompressedSizeAsync(layer.Digest, s, cancellationToken).ConfigureAwait(false);
                }
            }

            parent = key;
        }

        return parent;
    }

    /// <summary>
    /// Applies one layer blob into a staging active snapshot on <paramref name="parent"/> and commits it under its
    /// chain ID. A process that loses the race to commit the same chain drops its staging copy: the winner's is identical.
    /// </summary>
    private async Task<long?> UnpackLayerAsync(ISnapshotter snapshots, ILayerApplier applier, ImageLayer layer, string key, string? parent, CancellationToken cancellationToken)
    {
        var staging = $"{StagingPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}";
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["strata.layer.digest"] = layer.Digest.ToString(),
            ["strata.layer.diffid"] = layer.DiffId.ToString(),
        };
        await snapshots.PrepareAsync(staging, parent, labels, cancellationToken).ConfigureAwait(false);
        var committed = false;
        try
        {
            var dir = snapshots.DirectoryOf(staging)
                ?? throw StrataException.Precondition("SNAPSHOT_NO_DIR", $"snapshot {staging} has no directory");
            LayerApplyResult result;
            await using (var blob = await _content.OpenReadAsync(layer.Digest, cancellationToken).ConfigureAwait(false))
            {
                result = await applier.ApplyAsync(blob, dir, new LayerApplyOptions
                {
                    // Overlay lowerdirs keep whiteouts as overlay whiteouts; a copy-based driver has the parent's files to delete.
                    Whiteouts = snapshots.Driver == "overlay" ? WhiteoutMode.Overlay : WhiteoutMode.Delete,
                    Devices = DevicePolicy.Refuse,
                    ExpectedDigest = layer.Digest,
                    ExpectedDiffId = layer.DiffId,
                }, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                await snapshots.CommitAsync(key, staging, labels, cancellationToken).ConfigureAwait(false);
                committed = true;
            }
            catch (StrataException e) when (e.Kind == ErrorKind.AlreadyExists)
            {
                // Another process unpacked the same chain first.
            }

            return result.UncompressedSize;
        }
        finally
        {
            if (!committed)
            {
                try
                {
                    await snapshots.RemoveAsync(staging, CancellationToken.None).ConfigureAwait(false);
                }
                catch (StrataException)
                {
                    // Left for `system check --repair`.
                }
            }
        }
    }
}
