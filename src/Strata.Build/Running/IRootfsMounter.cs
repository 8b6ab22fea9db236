using Strata.Storage.Snapshots;

namespace Strata.Build.Running;

/// <summary>Mounts a snapshot's mount descriptions at a directory (and takes them down again).</summary>
public interface IRootfsMounter
{
    Task MountAsync(IReadOnlyList<MountSpec> mounts, string target, CancellationToken cancellationToken = default);

    Task UnmountAsync(string target, CancellationToken cancellationToken = default);
}
