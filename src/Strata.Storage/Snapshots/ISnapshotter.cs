namespace Strata.Storage.Snapshots;

/// <summary>
/// containerd's snapshotter vocabulary (core/snapshots/snapshotter.go). Committed snapshots are named by
/// chain ID and shared by every image that has that chain.
/// </summary>
public interface ISnapshotter
{
    /// <summary>The driver name: <c>overlay</c> or <c>vfs</c>.</summary>
    string Driver { get; }

    Task<SnapshotInfo?> StatAsync(string key, CancellationToken cancellationToken = default);

    IAsyncEnumerable<SnapshotInfo> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates an active (writable) snapshot on top of committed <paramref name="parent"/> (null: empty).</summary>
    Task<IReadOnlyList<MountSpec>> PrepareAsync(string key, string? parent, IReadOnlyDictionary<string, string>? labels = null, CancellationToken cancellationToken = default);

    /// <summary>Creates a read-only view of committed <paramref name="parent"/>.</summary>
    Task<IReadOnlyList<MountSpec>> ViewAsync(string key, string? parent, IReadOnlyDictionary<string, string>? labels = null, CancellationToken cancellationToken = default);

    /// <summary>The mounts of an active snapshot or view.</summary>
    Task<IReadOnlyList<MountSpec>> MountsAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Turns active snapshot <paramref name="key"/> into committed <paramref name="name"/>; an existing committed name wins (AlreadyExists).</summary>
    Task CommitAsync(string name, string key, IReadOnlyDictionary<string, string>? labels = null, CancellationToken cancellationToken = default);

    /// <summary>Removes a snapshot; fails (FailedPrecondition) while it has children.</summary>
    Task RemoveAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Bytes and inodes used by the snapshot's own directory.</summary>
    Task<(long Bytes, long Inodes)> UsageAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>The directory holding the snapshot's own files (upper dir for active, layer dir for committed).</summary>
    string? DirectoryOf(string key);
}
