using Strata.Storage.Snapshots;

namespace Strata.Build.Running;

/// <summary>Mounts snapshot mount descriptions with the storage area's <see cref="Mounter"/> (long overlay stacks included).</summary>
public sealed class SnapshotMounter : IRootfsMounter
{
    public Task MountAsync(IReadOnlyList<MountSpec> mounts, string target, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Directory.CreateDirectory(target);
        Mounter.MountAll(mounts, target);
        return Task.CompletedTask;
    }

    public Task UnmountAsync(string target, CancellationToken cancellationToken = default)
    {
        Mounter.TryUnmount(target, detach: true);
        return Task.CompletedTask;
    }
}
