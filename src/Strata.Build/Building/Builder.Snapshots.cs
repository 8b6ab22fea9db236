using Strata.Oci;
using Strata.Storage.Content;
using Strata.Storage.Layers;
using Strata.Storage.Snapshots;

namespace Strata.Build.Building;

public sealed partial class Builder
{
    /// <summary>
    /// Runs <paramref name="work"/> on a writable root filesystem prepared on the stage's current snapshot, then
    /// turns what changed into a layer: null when nothing changed (an empty layer, as Docker records it).
    /// With <paramref name="runtimeInit"/> an extra read-only layer supplies the mount points a container needs
    /// (Docker's init layer) so they never show up in the diff.
    /// </summary>
    private async Task<NewLayer?> WithSnapshotAsync(StageState state, bool runtimeInit, Func<string, Task> work, CancellationToken cancellationToken)
    {
        var key = $"build-{Environment.ProcessId}-{Guid.NewGuid():N}";
        var snapshots = _services.Snapshots;
        var mounts = await snapshots.PrepareAsync(key, state.ChainId, null, cancellationToken).ConfigureAwait(false);
        var committed = false;
        try
        {
            if (runtimeInit)
            {
                mounts = WithInitLayer(mounts);
            }

            var target = Path.Combine(_services.StateDir, "mounts", key);
            Directory.CreateDirectory(target);
            await _services.Mounter.MountAsync(mounts, target, cancellationToken).ConfigureAwait(false);
            try
            {
                await work(target).ConfigureAwait(false);
            }
            finally
            {
                await _services.Mounter.UnmountAsync(target, CancellationToken.None).ConfigureAwait(false);
                Directory.Delete(target);
            }

            var upper = snapshots.DirectoryOf(key) ?? throw StrataException.Precondition("SNAPSHOT_NO_DIR", $"snapshot {key} has no directory");
            if (!Directory.EnumerateFileSystemEntries(upper).Any())
            {
                return null;
            }

            var overlay = snapshots.Driver == "overlay";
            if (!overlay)
            {
                throw StrataException.Precondition("BUILD_DRIVER", $"the builder needs the overlay storage driver (this store uses {snapshots.Driver})");
            }

            var diff = await Storage.Images.LayerBlobWriter.WriteAsync(_services.Content,
                (stream, ct) => _services.Differ.DiffAsync(upper, stream, LayerCompression.Gzip, overlay, ct), cancellationToken).ConfigureAwait(false);
            var parent = state.ChainId is null ? (Digest?)null : Digest.Parse(state.ChainId);
            var chain = ChainId.Next(parent, diff.DiffId).ToString();
            try
            {
                await snapshots.CommitAsync(chain, key, null, cancellationToken).ConfigureAwait(false);
                committed = true;
            }
            catch (StrataException e) when (e.Kind == ErrorKind.AlreadyExists)
            {
                // The same chain was built before (its cache entry is gone); the existing snapshot is identical.
            }

            _uncompressedSizes[diff.Digest] = diff.UncompressedSize ?? 0;
            var descriptor = new Descriptor { MediaType = Storage.Images.ImageWriter.LayerMediaType(diff.MediaType, Storage.Images.ImageFormat.Docker), Digest = diff.Digest, Size = diff.Size };
            return new NewLayer(descriptor, diff.DiffId, chain);
        }
        finally
        {
            if (!committed)
            {
                try
                {
                    await snapshots.RemoveAsync(key, CancellationToken.None).ConfigureAwait(false);
                }
                catch (StrataException)
                {
                    // Left for `system check --repair`.
                }
            }
        }
    }


    /// <summary>Puts the init layer on top of an overlay's lower directories.</summary>
    private IReadOnlyList<MountSpec> WithInitLayer(IReadOnlyList<MountSpec> mounts)
    {
        var init = EnsureInitLayer();
        return mounts.Select(m =>
        {
            if (m.Type != "overlay")
            {
                return m;
            }

            var options = m.Options.Select(o => o.StartsWith("lowerdir=", StringComparison.Ordinal) ? "lowerdir=" + init + ":" + o["lowerdir=".Length..] : o).ToList();
            if (!options.Any(o => o.StartsWith("lowerdir=", StringComparison.Ordinal)))
            {
                options.Add("lowerdir=" + init);
            }

            return m with { Options = options };
        }).ToList();
    }

    private string EnsureInitLayer() => Runtime.Bundles.InitLayer.EnsureShared(Path.Combine(_services.StateDir, "run-init"));

    /// <summary>Mounts a read-only view of a committed snapshot (COPY --from) for the duration of <paramref name="work"/>.</summary>
    private async Task WithViewAsync(string? chainId, Func<string, Task> work, CancellationToken cancellationToken)
    {
        var (root, release) = await MountViewAsync(chainId, cancellationToken).ConfigureAwait(false);
        try
        {
            await work(root).ConfigureAwait(false);
        }
        finally
        {
            await release().ConfigureAwait(false);
        }
    }

    /// <summary>Mounts a read-only view of a committed snapshot (an empty directory for none); the function takes it down.</summary>
    private async Task<(string Root, Func<Task> Release)> MountViewAsync(string? chainId, CancellationToken cancellationToken)
    {
        if (chainId is null)
        {
            var empty = Path.Combine(_services.StateDir, "mounts", "empty-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(empty);
            return (empty, () =>
            {
                Directory.Delete(empty, recursive: true);
                return Task.CompletedTask;
            });
        }

        var key = $"build-view-{Environment.ProcessId}-{Guid.NewGuid():N}";
        var mounts = await _services.Snapshots.ViewAsync(key, chainId, null, cancellationToken).ConfigureAwait(false);
        var target = Path.Combine(_services.StateDir, "mounts", key);
        async Task Release()
        {
            try
            {
                await _services.Mounter.UnmountAsync(target, CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                if (Directory.Exists(target))
                {
                    Directory.Delete(target);
                }

                await _services.Snapshots.RemoveAsync(key, CancellationToken.None).ConfigureAwait(false);
            }
        }

        try
        {
            Directory.CreateDirectory(target);
            await _services.Mounter.MountAsync(mounts, target, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await Release().ConfigureAwait(false);
            throw;
        }

        return (target, Release);
    }
}
