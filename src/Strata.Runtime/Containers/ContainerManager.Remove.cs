using Strata.Oci;

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

        Timing.Mark("rm: begin");
        await Store.UpdateStateAsync(c.Id, s => s with { Status = ContainerStatus.Removing }, cancellationToken).ConfigureAwait(false);
        await RuntimeFor(c.Spec).DeleteAsync(c.Id, cancellationToken).ConfigureAwait(false);
        UnmountRootfs(c.Id);
        await Networks.DetachAsync(c.Id, cancellationToken).ConfigureAwait(false);
        if (await _snapshots.StatAsync(c.SnapshotKey, cancellationToken).ConfigureAwait(false) is not null)
        {
            await _snapshots.RemoveAsync(c.SnapshotKey, cancellationToken).ConfigureAwait(false);
        }

        Timing.Mark("rm: snapshot removed");
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

        Timing.Mark("rm: dir removed");
        await Store.DeleteAsync(c.Id, cancellationToken).ConfigureAwait(false);
        if (removeVolumes)
        {
            foreach (var m in c.Spec.Mounts.Where(m => m.Type == "volume" && m.Anonymous))
            {
                if (!await VolumeInUseAsync(m.Source, cancellationToken).ConfigureAwait(false)
                    && await Volumes.TryGetAsync(m.Source, cancellationToken).ConfigureAwait(false) is not null)
                {
                    await Volumes.RemoveAsync(m.Source, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary><c>volume rm</c>: refuses a volume a container uses unless forced.</summary>
    public async Task RemoveVolumeAsync(string name, bool force, CancellationToken cancellationToken = default)
    {
        await Volumes.GetAsync(name, cancellationToken).ConfigureAwait(false);
        if (!force && await UsersOfVolumeAsync(name, cancellationToken).ConfigureAwait(false) is { Count: > 0 } users)
        {
            throw new StrataException(ErrorKind.Conflict, "VOLUME_IN_USE", $"remove {name}: volume is in use - [{string.Join(", ", users)}]");
        }

        await Volumes.RemoveAsync(name, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>volume prune</c>: unused anonymous volumes, or every unused volume with <paramref name="all"/>.</summary>
    public async Task<IReadOnlyList<string>> PruneVolumesAsync(bool all, CancellationToken cancellationToken = default)
    {
        var removed = new List<string>();
        foreach (var v in await Volumes.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if ((all || v.Anonymous) && !await VolumeInUseAsync(v.Name, cancellationToken).ConfigureAwait(false))
            {
                await Volumes.RemoveAsync(v.Name, cancellationToken).ConfigureAwait(false);
                removed.Add(v.Name);
            }
        }

        return removed;
    }

    /// <summary>IDs of the containers whose mounts name volume <paramref name="name"/>.</summary>
    public async Task<IReadOnlyList<string>> UsersOfVolumeAsync(string name, CancellationToken cancellationToken = default) =>
        [.. (await Store.ListAsync(cancellationToken).ConfigureAwait(false)).Where(c => c.Spec.Mounts.Any(m => m.Type == "volume" && m.Source == name)).Select(c => c.Id)];

    private async Task<bool> VolumeInUseAsync(string name, CancellationToken cancellationToken) =>
        (await UsersOfVolumeAsync(name, cancellationToken).ConfigureAwait(false)).Count > 0;
}
