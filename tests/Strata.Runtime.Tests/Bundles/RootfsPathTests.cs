using Strata.Runtime.Bundles;

namespace Strata.Runtime.Tests.Bundles;

public sealed class RootfsPathTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("strata-rootfs-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Symlinks_resolve_inside_the_root_never_outside()
    {
        Directory.CreateDirectory(Path.Combine(_root, "usr", "bin"));
        File.CreateSymbolicLink(Path.Combine(_root, "bin"), "usr/bin");
        File.CreateSymbolicLink(Path.Combine(_root, "escape"), "/etc");
        File.CreateSymbolicLink(Path.Combine(_root, "up"), "../../../..");
        Assert.Equal(_root + "/usr/bin/sh", RootfsPath.Resolve(_root, "/bin/sh"));
        Assert.Equal(_root + "/etc/passwd", RootfsPath.Resolve(_root, "/escape/passwd"));
        Assert.Equal(_root + "/etc", RootfsPath.Resolve(_root, "/up/etc"));
        Assert.Equal(_root + "/etc", RootfsPath.Resolve(_root, "/../../etc"));
        Assert.Equal(_root + "/escape", RootfsPath.Resolve(_root, "/escape", followLast: false));
    }

    [Fact]
    public void Symlink_loops_are_an_error()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "a"), "b");
        File.CreateSymbolicLink(Path.Combine(_root, "b"), "a");
        Assert.Throws<Strata.Oci.StrataException>(() => RootfsPath.Resolve(_root, "/a/x"));
    }
}
