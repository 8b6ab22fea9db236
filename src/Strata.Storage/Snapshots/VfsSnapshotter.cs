using Strata.Storage.Layers;
using Strata.Storage.Metadata;

namespace Strata.Storage.Snapshots;

/// <summary>
/// The copy-based fallback (<c>--storage-driver vfs</c>) for hosts without overlayfs: every snapshot is a full,
/// flattened tree. Prepare copies the parent's tree (metadata and hardlinks kept); layers are applied with
/// whiteouts as deletions; mounts are binds (a view of a committed parent binds the parent read-only).
/// </summary>
public sealed class VfsSnapshotter : SnapshotterBase
{
    public VfsSnapshotter(string root, MetadataDb db)
        : base(root, db)
    {
    }

    public override string Driver => "vfs";

    public override WhiteoutMode LayerWhiteouts => WhiteoutMode.Delete;

    protected override async Task CreateDirectoriesAsync(SnapshotRow row, CancellationToken cancellationToken)
    {
        if (row.Kind == SnapshotKind.Active && row.ParentId is { } parentId)
        {
            await TreeCopier.CopyAsync(FsOf(parentId), FsOf(row.Id), cancellationToken).ConfigureAwait(false);
        }
    }

    protected override Task<IReadOnlyList<MountSpec>> MountsForAsync(SnapshotRow row, CancellationToken cancellationToken)
    {
        IReadOnlyList<MountSpec> mounts = row.Kind == SnapshotKind.View
            ? [new MountSpec("bind", row.ParentId is { } p ? FsOf(p) : FsOf(row.Id), ["rbind", "ro"])]
            : [new MountSpec("bind", FsOf(row.Id), ["rbind", "rw"])];
        return Task.FromResult(mounts);
    }
}
