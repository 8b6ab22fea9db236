using Strata.Storage.Layers;
using Strata.Storage.Metadata;

namespace Strata.Storage.Snapshots;

/// <summary>
/// The default driver: every committed snapshot is one layer's own files (with overlay whiteouts), and
/// mounts stack them. Active snapshot on a parent: <c>overlay lowerdir=parent:grandparent:...,upperdir=fs,workdir=work</c>;
/// with no parent: a bind of its empty dir. View of one layer: a read-only bind; of several: a read-only overlay.
/// Long stacks exceed the page-sized mount option string; <see cref="Mounter"/> mounts those with fsconfig.
/// </summary>
public sealed class OverlaySnapshotter : SnapshotterBase
{
    public OverlaySnapshotter(string root, MetadataDb db)
        : base(root, db)
    {
    }

    public override string Driver => "overlay";

    public override WhiteoutMode LayerWhiteouts => WhiteoutMode.Overlay;

    protected override Task CreateDirectoriesAsync(SnapshotRow row, CancellationToken cancellationToken)
    {
        if (row.Kind == SnapshotKind.Active && row.ParentId is not null)
        {
            Directory.CreateDirectory(Path.Combine(DirOf(row.Id), "work"));
        }

        return Task.CompletedTask;
    }

    protected override async Task<IReadOnlyList<MountSpec>> MountsForAsync(SnapshotRow row, CancellationToken cancellationToken)
    {
        var own = FsOf(row.Id);
        if (row.ParentId is not { } parentId)
        {
            return [new MountSpec("bind", own, ["rbind", row.Kind == SnapshotKind.View ? "ro" : "rw"])];
        }

        var lowers = await ChainDirsAsync(parentId, cancellationToken).ConfigureAwait(false);
        if (row.Kind == SnapshotKind.View)
        {
            return lowers.Count == 1
                ? [new MountSpec("bind", lowers[0], ["rbind", "ro"])]
                : [new MountSpec("overlay", "overlay", ["ro", "lowerdir=" + string.Join(':', lowers)])];
        }

        return [new MountSpec("overlay", "overlay", ["lowerdir=" + string.Join(':', lowers), "upperdir=" + own, "workdir=" + Path.Combine(DirOf(row.Id), "work")])];
    }
}
