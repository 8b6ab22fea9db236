using Strata.Oci;
using Strata.Storage.Layers;

namespace Strata.Storage.Tests.Layers;

/// <summary>
/// Layers that lie or push limits: a declared size far beyond the data, PAX sparse files, names past PATH_MAX,
/// times before 1970 or past any calendar, relative symlinks that climb above the root. Needs root (chown).
/// </summary>
public sealed class LayerHardeningTests : IDisposable
{
    private readonly string _base = Directory.CreateTempSubdirectory("strata-harden-").FullName;
    private readonly string _root;
    private readonly string _outside;
    private readonly LayerApplier _applier = new();

    public LayerHardeningTests()
    {
        _root = Directory.CreateDirectory(Path.Combine(_base, "root")).FullName;
        _outside = Directory.CreateDirectory(Path.Combine(_base, "outside")).FullName;
    }

    public void Dispose() => Directory.Delete(_base, recursive: true);

    private Task<LayerApplyResult> ApplyAsync(byte[] blob) => _applier.ApplyAsync(new MemoryStream(blob), _root, new LayerApplyOptions());

    [Theory]
    [MemberData(nameof(HostileTars.Refused), MemberType = typeof(HostileTars))]
    public async Task Hostile_archives_are_refused_with_their_code(string what, byte[] blob, string code)
    {
        await File.WriteAllTextAsync(Path.Combine(_outside, "secret"), "host data");
        var e = await Assert.ThrowsAsync<StrataException>(() => ApplyAsync(blob));
        Assert.True(code == e.Code, $"{what}: expected {code}, got {e.Code}: {e.Message}");
        Assert.Equal(["secret"], Directory.GetFileSystemEntries(_outside).Select(Path.GetFileName));
        Assert.Equal("host data", await File.ReadAllTextAsync(Path.Combine(_outside, "secret")));
    }

    [Fact]
    public async Task A_huge_declared_size_reserves_nothing_beyond_the_bytes_that_arrived()
    {
        // 20 KiB of data under a header declaring 10 GiB, then the stream ends.
        var blob = new RawTar().Header("big", size: 10L << 30).Data(new byte[20 * 1024]).ToArray();
        long maxAllocated = 0;
        var target = Path.Combine(_root, "big");
        var probe = new TrickleStream(blob, () =>
        {
            if (UnixFs.TryLstat(target) is { } st)
            {
                maxAllocated = Math.Max(maxAllocated, st.Blocks * 512);
            }
        });

        var e = await Assert.ThrowsAsync<StrataException>(() => _applier.ApplyAsync(probe, _root, new LayerApplyOptions()));
        Assert.Equal(LayerErrors.InvalidTar, e.Code);
        Assert.True(maxAllocated <= 1 << 20, $"{maxAllocated} bytes were reserved for a 20 KiB entry");
    }

    public static TheoryData<string, (string, string)[], byte[]> SparseFormats => new()
    {
        // GNU sparse 1.0: the map is at the start of the data, in decimal lines, padded to a block.
        {
            "1.0",
            [("GNU.sparse.major", "1"), ("GNU.sparse.minor", "0"), ("GNU.sparse.name", "dir/sparse.bin"), ("GNU.sparse.realsize", "10485760")],
            Pad512("2\n0\n4096\n8388608\n4096\n"u8.ToArray())
        },

        // GNU sparse 0.1: the map is a PAX record.
        {
            "0.1",
            [("GNU.sparse.major", "0"), ("GNU.sparse.minor", "1"), ("GNU.sparse.name", "dir/sparse.bin"), ("GNU.sparse.size", "10485760"),
                ("GNU.sparse.numblocks", "2"), ("GNU.sparse.map", "0,4096,8388608,4096")],
            []
        },
    };

    [Theory]
    [MemberData(nameof(SparseFormats))]
    public async Task Pax_sparse_files_are_decoded_with_holes_as_holes(string format, (string, string)[] records, byte[] map)
    {
        var data = new byte[map.Length + 8192];
        map.CopyTo(data, 0);
        data.AsSpan(map.Length, 4096).Fill((byte)'a');
        data.AsSpan(map.Length + 4096, 4096).Fill((byte)'b');
        var blob = new RawTar().Pax(records).Header("dir/GNUSparseFile.0/sparse.bin", size: data.Length).Data(data).File("after", "next entry").End().ToArray();

        await ApplyAsync(blob);

        var path = Path.Combine(_root, "dir/sparse.bin");
        var bytes = await File.ReadAllBytesAsync(path);
        Assert.Equal(10485760, bytes.Length);
        Assert.All(bytes.AsSpan(0, 4096).ToArray(), b => Assert.Equal((byte)'a', b));
        Assert.All(bytes.AsSpan(8388608, 4096).ToArray(), b => Assert.Equal((byte)'b', b));
        Assert.False(bytes.AsSpan(4096, 8388608 - 4096).ContainsAnyExcept((byte)0), format);
        Assert.False(bytes.AsSpan(8388608 + 4096).ContainsAnyExcept((byte)0), format);
        Assert.True(UnixFs.Lstat(path).Blocks * 512 < 1 << 20, "the holes were written as zeros");
        Assert.False(Directory.Exists(Path.Combine(_root, "dir/GNUSparseFile.0")));
        Assert.Equal("next entry", await File.ReadAllTextAsync(Path.Combine(_root, "after")));

        var listed = new List<LayerEntry>();
        await foreach (var entry in LayerReader.EnumerateAsync(new MemoryStream(blob)))
        {
            listed.Add(entry);
        }

        Assert.Equal(10485760, Assert.Single(listed, l => l.Path == "dir/sparse.bin").Size);
    }

    public static TheoryData<string, byte[]> BadSparseMaps => new()
    {
        // Two fragments that overlap.
        { "overlap", Pad512("2\n0\n4096\n100\n4096\n"u8.ToArray()) },
        // A fragment past the real size.
        { "past end", Pad512("1\n10485000\n4096\n"u8.ToArray()) },
        // More fragments than the map holds.
        { "short map", Pad512("999999\n0\n4096\n"u8.ToArray()) },
        // Not a number.
        { "garbage", Pad512("x\n"u8.ToArray()) },
    };

    [Theory]
    [MemberData(nameof(BadSparseMaps))]
    public async Task Bad_sparse_maps_are_invalid_tars(string what, byte[] map)
    {
        var data = new byte[map.Length + 8192];
        map.CopyTo(data, 0);
        var blob = new RawTar()
            .Pax(("GNU.sparse.major", "1"), ("GNU.sparse.minor", "0"), ("GNU.sparse.name", "s"), ("GNU.sparse.realsize", "10485760"))
            .Header("GNUSparseFile.0/s", size: data.Length).Data(data).End().ToArray();
        var e = await Assert.ThrowsAsync<StrataException>(() => ApplyAsync(blob));
        Assert.True(e.Code == LayerErrors.InvalidTar, $"{what}: {e.Code} {e.Message}");
    }

    public static TheoryData<string, byte[]> LongNames
    {
        get
        {
            var deep = string.Join('/', Enumerable.Range(0, 60).Select(i => $"d{i:D2}" + new string('x', 96)));
            return new TheoryData<string, byte[]>
            {
                // A 5,000-byte PAX path.
                { "pax path", new RawTar().Pax(("path", deep[..5000])).Header("short", size: 1).Data("x"u8).End().ToArray() },
                // A 4,200-byte GNU long name.
                { "gnu long name", new RawTar().GnuLongName(deep[..4200]).Header("short", size: 1).Data("x"u8).End().ToArray() },
                // One component longer than NAME_MAX.
                { "long component", new RawTar().Pax(("path", "a/" + new string('n', 300))).Header("short", size: 1).Data("x"u8).End().ToArray() },
                // A symlink target past PATH_MAX.
                { "long link target", new RawTar().Pax(("linkpath", deep[..5000])).Header("link", '2').End().ToArray() },
            };
        }
    }

    [Theory]
    [MemberData(nameof(LongNames))]
    public async Task Names_past_path_max_are_refused_with_a_clear_code(string what, byte[] blob)
    {
        var e = await Assert.ThrowsAsync<StrataException>(() => ApplyAsync(blob));
        Assert.True(e.Code == LayerErrors.PathTooLong, $"{what}: {e.Code} {e.Message}");
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public async Task Negative_and_huge_mtimes_are_clamped_not_refused()
    {
        var blob = new RawTar()
            .File("old", "1938", mtime: -1_000_000_000)
            .File("future", "far", mtime: 1L << 60)
            .Pax(("mtime", "-99999999999999999999999.5")).Header("pax-old", size: 0)
            .End().ToArray();

        await ApplyAsync(blob);

        Assert.Equal(-1_000_000_000, UnixFs.Lstat(Path.Combine(_root, "old")).MtimeSeconds);
        Assert.True(UnixFs.Lstat(Path.Combine(_root, "future")).MtimeSeconds > int.MaxValue);
        Assert.True(UnixFs.Lstat(Path.Combine(_root, "pax-old")).MtimeSeconds < 0);

        var listed = new List<LayerEntry>();
        await foreach (var entry in LayerReader.EnumerateAsync(new MemoryStream(blob)))
        {
            listed.Add(entry);
        }

        Assert.Equal(3, listed.Count);
    }

    [Fact]
    public async Task A_relative_symlink_climbing_above_the_root_is_a_link_but_never_a_way_out()
    {
        // Harmless as a link: it resolves inside the root when the container uses it (docker accepts it).
        var link = "../../../../tmp/x";
        await ApplyAsync(new RawTar().Header("etc/", '5', mode: 0x1ED).Header("etc/resolv.conf", '2', link: link).End().ToArray());
        Assert.Equal(link, new FileInfo(Path.Combine(_root, "etc/resolv.conf")).LinkTarget);

        // Writing through it (as a directory, or as a hardlink target) is still refused.
        File.CreateSymbolicLink(Path.Combine(_root, "up"), "../outside");
        foreach (var blob in new[]
        {
            new RawTar().File("etc/resolv.conf/pwned", "x").End().ToArray(),
            new RawTar().File("up/pwned", "x").End().ToArray(),
            new RawTar().Header("h", '1', link: "up/secret").End().ToArray(),
        })
        {
            var e = await Assert.ThrowsAsync<StrataException>(() => ApplyAsync(blob));
            Assert.Equal(LayerErrors.UnsafePath, e.Code);
        }

        Assert.Empty(Directory.GetFileSystemEntries(_outside));
    }

    private static byte[] Pad512(byte[] data)
    {
        var padded = new byte[(data.Length + 511) / 512 * 512];
        data.CopyTo(padded, 0);
        return padded;
    }

    /// <summary>Hands out at most one block per read and calls <c>onRead</c> before each, so a test sees the disk mid-apply.</summary>
    private sealed class TrickleStream(byte[] data, Action onRead) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => data.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            onRead();
            var n = Math.Min(Math.Min(count, 512), data.Length - _position);
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
