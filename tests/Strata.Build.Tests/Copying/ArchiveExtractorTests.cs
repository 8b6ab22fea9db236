using Strata.Build.Copying;
using Strata.Oci;
using Strata.Storage.Layers;
using Strata.Storage.Tests.Layers;

namespace Strata.Build.Tests.Copying;

/// <summary>
/// ADD of a local tar goes through the layer applier's rules: the same hostile archives are refused with the same
/// codes, sparse files and old times come out as they do for layers, and --chown / the destination apply.
/// Needs root (chown); CI runs as root.
/// </summary>
public sealed class ArchiveExtractorTests : IDisposable
{
    private readonly string _base = Directory.CreateTempSubdirectory("strata-add-").FullName;
    private readonly string _rootfs;
    private readonly string _outside;

    public ArchiveExtractorTests()
    {
        _rootfs = Directory.CreateDirectory(Path.Combine(_base, "rootfs")).FullName;
        _outside = Directory.CreateDirectory(Path.Combine(_base, "outside")).FullName;
        File.WriteAllText(Path.Combine(_outside, "secret"), "host data");
    }

    public void Dispose() => Directory.Delete(_base, recursive: true);

    private async Task ExtractAsync(byte[] tar, string dest, CopyOwner owner)
    {
        var archive = Path.Combine(_base, "archive.tar");
        await File.WriteAllBytesAsync(archive, tar);
        Assert.True(await ArchiveExtractor.IsArchiveAsync(archive, CancellationToken.None));
        await ArchiveExtractor.ExtractAsync(new LayerApplier(), archive, _rootfs, dest, owner, CancellationToken.None);
    }

    [Theory]
    [MemberData(nameof(HostileTars.Refused), MemberType = typeof(HostileTars))]
    public async Task Add_refuses_what_a_layer_refuses(string what, byte[] tar, string code)
    {
        var e = await Assert.ThrowsAsync<StrataException>(() => ExtractAsync(tar, "/", CopyOwner.Root with { KeepArchiveOwners = true }));
        Assert.True(code == e.Code, $"{what}: expected {code}, got {e.Code}: {e.Message}");
        Assert.Equal(["secret"], Directory.GetFileSystemEntries(_outside).Select(Path.GetFileName));
        Assert.Equal("host data", await File.ReadAllTextAsync(Path.Combine(_outside, "secret")));
    }

    [Fact]
    public async Task Add_unpacks_sparse_files_old_times_links_and_whiteout_names_under_the_destination_with_chown()
    {
        var sparseData = HostileTars.Block("1\n8192\n4096\n").Concat(Enumerable.Repeat((byte)'s', 4096)).ToArray();
        var tar = new RawTar()
            .Header("dir/", '5', mode: 0x1ED)
            .File("dir/f", "content", mtime: -1_000_000_000)
            .Header("dir/h", '1', link: "dir/f")
            .Header("dir/resolv.conf", '2', link: "../../../../tmp/x")
            .File("dir/.wh.kept", "not a whiteout here")
            .Pax(("GNU.sparse.major", "1"), ("GNU.sparse.minor", "0"), ("GNU.sparse.name", "dir/sparse"), ("GNU.sparse.realsize", "1048576"))
            .Header("dir/GNUSparseFile.0/sparse", size: sparseData.Length).Data(sparseData)
            .Header("dev/null", '3')
            .End().ToArray();

        await ExtractAsync(tar, "/app/", new CopyOwner(1000, 1001, null));

        var app = Path.Combine(_rootfs, "app");
        Assert.Equal("content", await File.ReadAllTextAsync(Path.Combine(app, "dir/f")));
        Assert.Equal(-1_000_000_000, UnixFs.Lstat(Path.Combine(app, "dir/f")).MtimeSeconds);
        Assert.Equal(UnixFs.Lstat(Path.Combine(app, "dir/f")).Inode, UnixFs.Lstat(Path.Combine(app, "dir/h")).Inode);
        Assert.Equal("../../../../tmp/x", new FileInfo(Path.Combine(app, "dir/resolv.conf")).LinkTarget);
        Assert.Equal("not a whiteout here", await File.ReadAllTextAsync(Path.Combine(app, "dir/.wh.kept")));
        var sparse = UnixFs.Lstat(Path.Combine(app, "dir/sparse"));
        Assert.Equal(1048576, sparse.Size);
        Assert.True(sparse.Blocks * 512 < 512 * 1024);
        Assert.False(Directory.Exists(Path.Combine(app, "dir/GNUSparseFile.0")));
        Assert.False(File.Exists(Path.Combine(app, "dev/null")));
        foreach (var p in new[] { "dir", "dir/f", "dir/sparse", "dir/resolv.conf" })
        {
            var st = UnixFs.Lstat(Path.Combine(app, p));
            Assert.Equal((1000u, 1001u), (st.Uid, st.Gid));
        }
    }
}
