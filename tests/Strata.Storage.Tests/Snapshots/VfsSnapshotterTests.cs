using Strata.Storage.Layers;
using Strata.Storage.Metadata;
using Strata.Storage.Snapshots;

namespace Strata.Storage.Tests.Snapshots;

public sealed class VfsSnapshotterTests : SnapshotterConformance
{
    protected override SnapshotterBase Create(string root, MetadataDb db) => new VfsSnapshotter(root, db);

    [Fact]
    public async Task Prepare_copies_the_parent_with_metadata_and_hardlinks()
    {
        await Snapshotter.PrepareAsync("staging-1-base", null);
        var dir = Snapshotter.DirectoryOf("staging-1-base")!;
        Directory.CreateDirectory(Path.Combine(dir, "bin"));
        await File.WriteAllTextAsync(Path.Combine(dir, "bin/busybox"), "bb");
        UnixFs.Link(Path.Combine(dir, "bin/busybox"), Path.Combine(dir, "bin/sh"));
        File.CreateSymbolicLink(Path.Combine(dir, "bin/ls"), "busybox");
        UnixFs.Chmod(Path.Combine(dir, "bin/busybox"), 0x9ED);
        UnixFs.Lchown(Path.Combine(dir, "bin"), 12, 34);
        UnixFs.SetXattr(Path.Combine(dir, "bin/busybox"), "user.x", "y"u8);
        UnixFs.SetMtime(Path.Combine(dir, "bin"), 1_500_000_000, 0);
        await Snapshotter.CommitAsync("base", "staging-1-base");

        await Snapshotter.PrepareAsync("copy", "base");

        Layers.TreeState.AssertSame(Snapshotter.DirectoryOf("base")!, Snapshotter.DirectoryOf("copy")!);
        var copy = Snapshotter.DirectoryOf("copy")!;
        Assert.Equal(UnixFs.Lstat(Path.Combine(copy, "bin/busybox")).Inode, UnixFs.Lstat(Path.Combine(copy, "bin/sh")).Inode);
        Assert.NotEqual(UnixFs.Lstat(Path.Combine(dir, "bin/busybox")).Inode, UnixFs.Lstat(Path.Combine(copy, "bin/busybox")).Inode);
    }
}
