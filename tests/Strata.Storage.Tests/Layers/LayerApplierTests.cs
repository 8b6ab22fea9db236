using System.Formats.Tar;
using Strata.Oci;
using Strata.Storage.Layers;

namespace Strata.Storage.Tests.Layers;

/// <summary>Applier behaviour. Needs root (chown, mknod, trusted.* xattrs); CI runs as root.</summary>
public sealed class LayerApplierTests : IDisposable
{
    private readonly string _base = Directory.CreateTempSubdirectory("strata-apply-").FullName;
    private readonly string _root;
    private readonly string _outside;
    private readonly LayerApplier _applier = new();

    public LayerApplierTests()
    {
        _root = Directory.CreateDirectory(Path.Combine(_base, "root")).FullName;
        _outside = Directory.CreateDirectory(Path.Combine(_base, "outside")).FullName;
        File.WriteAllText(Path.Combine(_outside, "secret"), "host data");
    }

    public void Dispose() => Directory.Delete(_base, recursive: true);

    private Task<LayerApplyResult> ApplyAsync(byte[] blob, LayerApplyOptions? options = null, string? target = null) =>
        _applier.ApplyAsync(new MemoryStream(blob), target ?? _root, options ?? new LayerApplyOptions());

    [Fact]
    public async Task Applies_files_dirs_links_modes_owners_and_times()
    {
        var t1 = new DateTimeOffset(2001, 2, 3, 4, 5, 6, TimeSpan.Zero);
        var blob = await new TarBuilder()
            .Dir("./etc/", uid: 0, gid: 0, mtime: t1)
            .File("./etc/passwd", "root:x:0:0::/root:/bin/sh\n", mtime: t1)
            .Dir("bin/", mode: (UnixFileMode)0x1ED, mtime: t1)
            .File("bin/su", "suid", mode: (UnixFileMode)0x9ED, uid: 0, gid: 0) // 04755
            .Dir("tmp/", mode: (UnixFileMode)0x3FF) // 01777
            .File("home/user/file", "mine", uid: 1000, gid: 1001)
            .Symlink("bin/sh", "/bin/busybox")
            .Hardlink("bin/passwd-copy", "etc/passwd")
            .BuildAsync();

        var result = await ApplyAsync(blob);

        Assert.Equal(8, result.Entries);
        Assert.Equal(Digest.Compute(blob), result.Digest);
        Assert.Equal(result.Digest, result.DiffId); // plain tar: blob = tar
        Assert.Equal("suid", File.ReadAllText(Path.Combine(_root, "bin/su")));
        Assert.Equal(0x9EDu, UnixFs.Lstat(Path.Combine(_root, "bin/su")).Permissions);
        Assert.Equal(0x3FFu, UnixFs.Lstat(Path.Combine(_root, "tmp")).Permissions);
        var home = UnixFs.Lstat(Path.Combine(_root, "home/user/file"));
        Assert.Equal((1000u, 1001u), (home.Uid, home.Gid));
        var sh = UnixFs.Lstat(Path.Combine(_root, "bin/sh"));
        Assert.True(sh.IsSymlink);
        Assert.Equal("/bin/busybox", new FileInfo(Path.Combine(_root, "bin/sh")).LinkTarget);
        Assert.Equal(TarBuilder.Epoch.ToUnixTimeSeconds(), sh.MtimeSeconds); // symlink's own mtime
        var passwd = UnixFs.Lstat(Path.Combine(_root, "etc/passwd"));
        Assert.Equal(passwd.Inode, UnixFs.Lstat(Path.Combine(_root, "bin/passwd-copy")).Inode);
        Assert.Equal(2u, passwd.Links);

        // Directory times are set after their content was written.
        Assert.Equal(t1.ToUnixTimeSeconds(), UnixFs.Lstat(Path.Combine(_root, "etc")).MtimeSeconds);
        Assert.Equal(t1.ToUnixTimeSeconds(), UnixFs.Lstat(Path.Combine(_root, "bin")).MtimeSeconds);
    }

    [Fact]
    public async Task Binary_xattrs_from_pax_records_are_applied_byte_for_byte()
    {
        // A security.capability value (cap_setuid+ep: VFS_CAP_REVISION_2) with bytes above 0x7f.
        byte[] capability = [0x01, 0x00, 0x00, 0x02, 0x80, 0x00, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        var tar = new MemoryStream();
        var w = new LayerTarWriter(tar);
        var xattrs = new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["security.capability"] = capability,
            ["user.comment"] = "\u00e9t\u00e9"u8.ToArray(),
            ["trusted.overlay.opaque"] = "y"u8.ToArray(), // must never be taken from an archive
        };
        await w.WriteEntryAsync(new TarEntryHeader { Name = "ping", Type = LayerEntryType.RegularFile, Mode = 0x1ED, Size = 2, Xattrs = xattrs }, new MemoryStream("hi"u8.ToArray()), default);
        await w.FinishAsync(default);

        await ApplyAsync(tar.ToArray());

        var got = UnixFs.GetXattrs(Path.Combine(_root, "ping"));
        Assert.Equal(capability, got["security.capability"]);
        Assert.Equal("\u00e9t\u00e9"u8.ToArray(), got["user.comment"]);
        Assert.False(got.ContainsKey("trusted.overlay.opaque"));
    }

    [Theory]
    [InlineData(LayerCompression.None)]
    [InlineData(LayerCompression.Gzip)]
    [InlineData(LayerCompression.Zstd)]
    public async Task Detects_compression_and_hashes_blob_and_tar_in_one_pass(LayerCompression compression)
    {
        var builder = new TarBuilder().Dir("a/").File("a/b", new string('x', 100_000)).Symlink("c", "a/b");
        var tar = await builder.BuildAsync();
        var blob = TarBuilder.Compress(tar, compression);

        var result = await ApplyAsync(blob, new LayerApplyOptions { ExpectedDigest = Digest.Compute(blob), ExpectedDiffId = Digest.Compute(tar) });

        Assert.Equal(Digest.Compute(blob), result.Digest);
        Assert.Equal(Digest.Compute(tar), result.DiffId);
        Assert.Equal(blob.Length, result.CompressedSize);
        Assert.Equal(tar.Length, result.UncompressedSize);
        Assert.Equal(100_000, new FileInfo(Path.Combine(_root, "a/b")).Length);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Digest_or_diffid_mismatch_is_data_loss(bool wrongDigest)
    {
        var tar = await new TarBuilder().File("f", "data").BuildAsync();
        var blob = TarBuilder.Compress(tar, LayerCompression.Gzip);
        var wrong = Digest.Compute("something else"u8);
        var options = wrongDigest
            ? new LayerApplyOptions { ExpectedDigest = wrong, ExpectedDiffId = Digest.Compute(tar) }
            : new LayerApplyOptions { ExpectedDigest = Digest.Compute(blob), ExpectedDiffId = wrong };

        var e = await Assert.ThrowsAsync<StrataException>(() => ApplyAsync(blob, options));

        Assert.Equal(ErrorKind.DataLoss, e.Kind);
        Assert.Equal(wrongDigest ? LayerErrors.DigestMismatch : LayerErrors.DiffIdMismatch, e.Code);
        Assert.Contains(wrong.ToString(), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Corrupt_tar_is_refused()
    {
        var tar = await new TarBuilder().File("f", "data").BuildAsync();
        tar[101] ^= 0x01; // a mode digit of the first header: its checksum no longer matches
        var e = await Assert.ThrowsAsync<StrataException>(() => ApplyAsync(tar));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }

    [Theory]
    [InlineData(LayerCompression.Gzip)]
    [InlineData(LayerCompression.Zstd)]
    public async Task Corrupt_compressed_stream_is_data_loss(LayerCompression compression)
    {
        var blob = TarBuilder.Compress(await new TarBuilder().File("f", new string('z', 50_000)).BuildAsync(), compression);
        blob[blob.Length / 2] ^= 0xFF;
        blob[(blob.Length / 2) + 1] ^= 0xFF;
        var e = await Assert.ThrowsAsync<StrataException>(() => ApplyAsync(blob));
        Assert.True(e.Kind is ErrorKind.DataLoss or ErrorKind.InvalidArgument, $"{e.Kind} {e.Code}: {e.Message}");
    }

    [Fact]
    public async Task Xattrs_a_filesystem_cannot_hold_are_skipped()
    {
        // user.* attributes are not allowed on symlinks (EPERM): skipped like docker does, not fatal.
        var tar = new MemoryStream();
        var w = new LayerTarWriter(tar);
        var xattrs = new SortedDictionary<string, byte[]>(StringComparer.Ordinal) { ["user.note"] = "x"u8.ToArray() };
        await w.WriteEntryAsync(new TarEntryHeader { Name = "link", Type = LayerEntryType.Symlink, LinkName = "target", Mode = 0x1FF, Xattrs = xattrs }, null, default);
        await w.FinishAsync(default);

        await ApplyAsync(tar.ToArray());

        Assert.True(UnixFs.Lstat(Path.Combine(_root, "link")).IsSymlink);
    }

    public static TheoryData<string, Func<TarBuilder, TarBuilder>, string> Hostile => new()
    {
        // Plain "..": climbs out of the root.
        { "dotdot", b => b.File("../outside/pwned", "x"), LayerErrors.UnsafePath },
        // ".." hidden after a real component still climbs out.
        { "nested dotdot", b => b.Dir("a/").File("a/../../outside/pwned", "x"), LayerErrors.UnsafePath },
        // A directory entry escaping, so later entries would land outside.
        { "dotdot dir", b => b.Dir("../outside/newdir/"), LayerErrors.UnsafePath },
        // A relative symlink pointing outside the root is a harmless link, but writing through it is refused.
        { "through symlink out", b => b.Symlink("evil", "../outside").File("evil/pwned", "x"), LayerErrors.UnsafePath },
        // The same, made deeper with a chain of components.
        { "through deep symlink out", b => b.Dir("a/").Symlink("a/evil", "../../outside").File("a/evil/pwned", "x"), LayerErrors.UnsafePath },
        // Writing through a symlink name with ".." after it: lexically climbs out.
        { "through absolute symlink", b => b.Symlink("abs", "/").File("abs/../../outside/pwned", "x"), LayerErrors.UnsafePath },
        // A hardlink whose target climbs out of the root.
        { "hardlink out", b => b.Hardlink("h", "../outside/secret"), LayerErrors.UnsafePath },
        // A hardlink target that goes through an absolute symlink: resolved inside the root, where it does not exist.
        { "hardlink through symlink", b => b.Symlink("s", "/" + "ignored").Hardlink("h", "s/secret"), LayerErrors.InvalidLink },
        // A hardlink to a directory.
        { "hardlink to dir", b => b.Dir("d/").Hardlink("h", "d"), LayerErrors.UnsafePath },
        // Device nodes are refused in untrusted layers.
        { "char device", b => b.Device("dev/mem", TarEntryType.CharacterDevice, 1, 1), LayerErrors.DeviceRefused },
        { "block device", b => b.Device("dev/sda", TarEntryType.BlockDevice, 8, 0), LayerErrors.DeviceRefused },
        // A whiteout naming "..": would delete the parent of a directory.
        { "whiteout dotdot", b => b.Dir("a/").Whiteout("a/.wh.."), LayerErrors.UnsafePath },
        // An empty whiteout name.
        { "whiteout empty", b => b.Whiteout(".wh."), LayerErrors.UnsafePath },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task Hostile_entries_are_refused_and_the_host_is_unchanged(string what, Func<TarBuilder, TarBuilder> build, string code)
    {
        var before = TreeState.Capture(_outside);
        var blob = await build(new TarBuilder()).BuildAsync();

        foreach (var mode in new[] { WhiteoutMode.Overlay, WhiteoutMode.Delete })
        {
            var e = await Assert.ThrowsAsync<StrataException>(() => ApplyAsync(blob, new LayerApplyOptions { Whiteouts = mode }));
            Assert.True(code == e.Code, $"{what}: expected {code}, got {e.Code}: {e.Message}");
            Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        }

        Assert.Equal(before, TreeState.Capture(_outside));
        Assert.Equal(["outside", "root"], Directory.GetFileSystemEntries(_base).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Refusal_message_names_the_entry()
    {
        var blob = await new TarBuilder().File("../outside/pwned", "x").BuildAsync();
        var e = await Assert.ThrowsAsync<StrataException>(() => ApplyAsync(blob));
        Assert.Contains("\"../outside/pwned\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Escaping_symlink_already_in_the_target_is_never_written_through()
    {
        // A lower layer (flattened target) holds a symlink leading out; a new layer writes through it.
        File.CreateSymbolicLink(Path.Combine(_root, "up"), "../outside");
        var viaFile = await new TarBuilder().File("up/pwned", "x").BuildAsync();
        var viaLink = await new TarBuilder().Hardlink("h", "up/secret").BuildAsync();

        foreach (var blob in new[] { viaFile, viaLink })
        {
            var e = await Assert.ThrowsAsync<StrataException>(() => ApplyAsync(blob, new LayerApplyOptions { Whiteouts = WhiteoutMode.Delete }));
            Assert.Equal(LayerErrors.UnsafePath, e.Code);
        }

        Assert.Equal(["secret"], Directory.GetFileSystemEntries(_outside).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Absolute_names_and_absolute_symlinks_resolve_inside_the_root()
    {
        // Absolute names are normalised (as docker does); an absolute symlink is the container's view of the
        // path, so writing through it lands under the root, never on the host.
        var blob = await new TarBuilder()
            .File("/etc/hostname", "box")
            .Symlink("host", _outside)
            .File("host/pwned", "contained")
            .BuildAsync();

        await ApplyAsync(blob);

        Assert.Equal("box", File.ReadAllText(Path.Combine(_root, "etc/hostname")));
        Assert.Equal("contained", File.ReadAllText(Path.Combine(_root, _outside.TrimStart('/'), "pwned")));
        Assert.False(File.Exists(Path.Combine(_outside, "pwned")));
    }

    [Fact]
    public async Task A_symlink_at_the_final_component_is_replaced_not_followed()
    {
        var blob = await new TarBuilder().Symlink("secret", Path.Combine(_outside, "secret")).File("secret", "overwritten?").BuildAsync();

        await ApplyAsync(blob);

        Assert.Equal("host data", File.ReadAllText(Path.Combine(_outside, "secret")));
        Assert.Equal("overwritten?", File.ReadAllText(Path.Combine(_root, "secret")));
        Assert.False(UnixFs.Lstat(Path.Combine(_root, "secret")).IsSymlink);
    }

    [Theory]
    [InlineData(DevicePolicy.Allow)]
    [InlineData(DevicePolicy.Skip)]
    public async Task Devices_follow_the_policy(DevicePolicy policy)
    {
        var blob = await new TarBuilder().Dir("dev/").Device("dev/null", TarEntryType.CharacterDevice, 1, 3).Device("dev/fifo", TarEntryType.Fifo, 0, 0).BuildAsync();

        await ApplyAsync(blob, new LayerApplyOptions { Devices = policy });

        var st = UnixFs.TryLstat(Path.Combine(_root, "dev/null"));
        Assert.Equal(policy == DevicePolicy.Allow, st is not null);
        if (st is { } s)
        {
            Assert.Equal((UnixStat.TypeChar, 1u, 3u), (s.FileType, s.RdevMajor, s.RdevMinor));
        }

        Assert.Equal(UnixStat.TypeFifo, UnixFs.Lstat(Path.Combine(_root, "dev/fifo")).FileType); // fifos are harmless
    }

    [Fact]
    public async Task Overlay_mode_writes_overlay_whiteouts()
    {
        var blob = await new TarBuilder().Dir("d/").File("d/.wh..wh..opq").File("d/new", "n").File(".wh.gone").File("x/.wh.deep").BuildAsync();

        await ApplyAsync(blob, new LayerApplyOptions { Whiteouts = WhiteoutMode.Overlay });

        Assert.True(UnixFs.Lstat(Path.Combine(_root, "gone")).IsOverlayWhiteout);
        Assert.True(UnixFs.Lstat(Path.Combine(_root, "x/deep")).IsOverlayWhiteout);
        Assert.Equal("y"u8.ToArray(), UnixFs.GetXattrs(Path.Combine(_root, "d"))["trusted.overlay.opaque"]);
        Assert.Equal("n", File.ReadAllText(Path.Combine(_root, "d/new")));
        Assert.False(File.Exists(Path.Combine(_root, "d/.wh..wh..opq")));
        Assert.False(File.Exists(Path.Combine(_root, ".wh.gone")));
    }

    [Fact]
    public async Task Delete_mode_removes_lower_content_but_keeps_this_layers()
    {
        var lower = await new TarBuilder()
            .File("gone", "1").Dir("keepdir/").File("keepdir/a", "a")
            .Dir("opq/").File("opq/old1", "o").Dir("opq/sub/").File("opq/sub/old2", "o")
            .BuildAsync();
        // The new layer writes opq/early BEFORE the opaque marker and opq/sub/late after: both survive,
        // lower content of opq (old1, sub/old2) does not. A whiteout for a name this layer wrote is ignored.
        var upper = await new TarBuilder()
            .Whiteout(".wh.gone")
            .Dir("opq/").File("opq/early", "e").Dir("opq/sub/").File("opq/.wh..wh..opq").File("opq/sub/late", "l")
            .File("mine", "m").Whiteout(".wh.mine")
            .BuildAsync();
        var options = new LayerApplyOptions { Whiteouts = WhiteoutMode.Delete };

        await ApplyAsync(lower, options);
        await ApplyAsync(upper, options);

        var state = TreeState.Capture(_root, mtimes: false).Keys;
        Assert.Equal(["keepdir", "keepdir/a", "mine", "opq", "opq/early", "opq/sub", "opq/sub/late"], state);
    }

    [Fact]
    public async Task A_layer_may_turn_a_dir_into_a_file_and_a_file_into_a_dir()
    {
        var lower = await new TarBuilder().Dir("was-dir/").File("was-dir/child", "c").File("was-file", "f").BuildAsync();
        var upper = await new TarBuilder().File("was-dir", "now a file").Dir("was-file/").File("was-file/child", "now a dir").BuildAsync();
        var options = new LayerApplyOptions { Whiteouts = WhiteoutMode.Delete };

        await ApplyAsync(lower, options);
        await ApplyAsync(upper, options);

        Assert.Equal("now a file", File.ReadAllText(Path.Combine(_root, "was-dir")));
        Assert.Equal("now a dir", File.ReadAllText(Path.Combine(_root, "was-file/child")));
    }

    [Fact]
    public async Task Listing_reports_entries_and_whiteouts_without_extracting()
    {
        var blob = TarBuilder.Compress(await new TarBuilder().Dir("./d/").File("d/f", "12345").File("d/.wh.old").File("e/.wh..wh..opq").Symlink("l", "d/f").BuildAsync(), LayerCompression.Zstd);

        var entries = await LayerReader.EnumerateAsync(new MemoryStream(blob)).ToListAsync();

        Assert.Equal(
            [("d", LayerEntryType.Directory, 0L, LayerWhiteout.None), ("d/f", LayerEntryType.RegularFile, 5L, LayerWhiteout.None),
             ("d/old", LayerEntryType.RegularFile, 0L, LayerWhiteout.File), ("e", LayerEntryType.RegularFile, 0L, LayerWhiteout.Opaque),
             ("l", LayerEntryType.Symlink, 0L, LayerWhiteout.None)],
            entries.Select(e => (e.Path, e.Type, e.Size, e.Whiteout)));
        Assert.Empty(Directory.GetFileSystemEntries(_root));
    }
}
