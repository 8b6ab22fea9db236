using Strata.Oci;
using Strata.Runtime.Volumes;

namespace Strata.Runtime.Containers;

public sealed partial class ContainerManager
{
    /// <summary>
    /// <c>rm</c>: refuses a running container unless <paramref name="force"/> (then kills it). Marks it
    /// Removing first, so an interrupted removal can simply be run again; the record goes last.
    /// <paramref name="removeVolumes"/> also deletes its anonymous volumes (never named ones).
    /// </summary>
    public async Task RemoveAsync(string nameOrId, bool force, bool removeVolumes, CancellationToken cancellationToken = default)
    {
        var c = await GetAsync(nameOrId, cancellationToken).ConfigureAwait(false);
        if (c.State.IsActive)
        {
            if (!force)
            {
                throw new StrataException(ErrorKind.Conflict, "CONTAINER_RUNNING",
                    $"cannot remove container \"{c.Name}\": container is {c.State.Status.ToString().ToLowerInvariant()}: stop the container before removing or force remove");
            }

            await Store.UpdateStateAsync(c.Id, s => s with { StoppedByUser = true }, cancellationToken).ConfigureAwait(false);
            var runtime = RuntimeFor(c.Spec);
            if (c.State.Status == ContainerStatus.Paused)
            {
                await runtime.ResumeAsync(c.Id, cancellationToken).ConfigureAwait(false);
            }

            await runtime.KillAsync(c.Id, "KILL", cancellationToken).ConfigureAwait(false);
            await WaitStoppedAsync(c.Id, TimeSpan.FromSeconds(15), cancellationToken).ConfigureAwait(false);
        }

        Events.Step("rm: begin");
        await Store.UpdateStateAsync(c.Id, s => s with { Status = ContainerStatus.Removing }, cancellationToken).ConfigureAwait(false);
        await RuntimeFor(c.Spec).DeleteAsync(c.Id, cancellationToken).ConfigureAwait(false);
        UnmountRootfs(c.Id);
        await Bridge.DetachAsync(c.Id, cancellationToken).ConfigureAwait(false);
        if (await _snapshots.StatAsync(c.SnapshotKey, cancellationToken).ConfigureAwait(false) is not null)
        {
            await _snapshots.RemoveAsync(c.SnapshotKey, cancellationToken).ConfigureAwait(false);
        }

        Events.Step("rm: snapshot removed");
        var dir = ContainerDir(c.Id);
        if (Directory.Exists(dir))
        {
            var trash = Path.Combine(_root, "containers", ".removing-" + c.Id);
            if (Directory.Exists(trash))
            {
                Directory.Delete(trash, recursive: true);
            }

            Directory.Move(dir, trash);
            Directory.Delete(trash, recursive: true);
        }

        Events.Step("rm: dir removed");
        await Store.DeleteAsync(c.Id, cancellationToken).ConfigureAwait(false);
        if (removeVolumes)
        {
            await new VolumeManager(Volumes, Store).RemoveAnonymousAsync(c.Spec.Mounts, cancellationToken).ConfigureAwait(false);
        }
    }
}
