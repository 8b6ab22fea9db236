using System.Formats.Tar;
using System.Text;
using Strata.Oci;
using Strata.Storage.Layers;

namespace Strata.Storage.Tests.Layers;

/// <summary>
/// The layer tar reader on the formats writers produce (ustar, PAX, GNU, V7) and on the odd and hostile inputs
/// a registry can serve: binary xattrs, base-256 numbers, bad checksums, truncation, unknown types.
/// </summary>
public sealed class LayerTarReaderTests
{
    private static readonly string LongName = "dir/" + new string('n', 150) + "/file.txt";

    [Theory]
    [InlineData(TarEntryFormat.Ustar)]
    [InlineData(TarEntryFormat.Pax)]
    [InlineData(TarEntryFormat.Gnu)]
    public async Task Reads_what_each_writer_format_stores(TarEntryFormat format)
    {
        var tar = new MemoryStream();
        await using (var w = new TarWriter(tar, format, leaveOpen: true))
        {
            await w.WriteEntryAsync(Entry(format, TarEntryType.Directory, "dir/", e => e.Mode = (UnixFileMode)0x1ED));
            await w.WriteEntryAsync(Entry(format, TarEntryType.RegularFile, format == TarEntryFormat.Ustar ? "dir/f.txt" : LongName, e =>
            {
                e.DataStream = new MemoryStream("hello"u8.ToArray());
                e.Mode = (UnixFileMode)0x1A4;
                e.Uid = 1000;
                e.Gid = 100;
                e.ModificationTime = new DateTimeOffset(2021, 5, 6, 7, 8, 9, TimeSpan.Zero);
            }));
            await w.WriteEntryAsync(Entry(format, TarEntryType.SymbolicLink, "dir/link", e => e.LinkName = "f.txt"));
        }

        tar.Position = 0;
        var reader = new LayerTarReader(tar);
        var dir = await reader.NextAsync(CancellationToken.None);
        Assert.Equal(LayerEntryType.Directory, dir!.Type);
        Assert.Equal(0x1EDu, dir.Mode);

        var file = await reader.NextAsync(CancellationToken.None);
        Assert.Equal(format == TarEntryFormat.Ustar ? "dir/f.txt" : LongName, file!.Name);
        Assert.Equal(LayerEntryType.RegularFile, file.Type);
        Assert.Equal(5, file.Size);
        Assert.Equal(0x1A4u, file.Mode);
        Assert.Equal(1000, file.Uid);
        Assert.Equal(100, file.Gid);
        Assert.Equal(new DateTimeOffset(2021, 5, 6, 7, 8, 9, TimeSpan.Zero).ToUnixTimeSeconds(), file.MtimeSeconds);
        Assert.Equal("hello", await ReadDataAsync(reader));

        var link = await reader.NextAsync(CancellationToken.None);
        Assert.Equal(LayerEntryType.Symlink, link!.Type);
        Assert.Equal("f.txt", link.LinkName);
        Assert.Equal(0, link.Size);
        Assert.Null(await reader.NextAsync(CancellationToken.None));
        Assert.Null(await reader.NextAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Unread_data_is_skipped_and_the_stream_is_read_no_further_than_the_archive()
    {
        var tar = Concat(Header("a", '0', size: 700), Data(new byte[700]), Header("b", '0', size: 1), Data("x"u8.ToArray()), new byte[1024], "TRAILER"u8.ToArray());
        var stream = new MemoryStream(tar);
        var reader = new LayerTarReader(stream);
        Assert.Equal("a", (await reader.NextAsync(CancellationToken.None))!.Name);
        Assert.Equal(700, reader.Remaining);
        Assert.Equal("b", (await reader.NextAsync(CancellationToken.None))!.Name);
        Assert.Equal("x", await ReadDataAsync(reader));
        Assert.Null(await reader.NextAsync(CancellationToken.None));

        // The caller drains and hashes the rest: the reader stops at the end-of-archive block.
        Assert.Equal(tar.Length - "TRAILER".Length - 512, stream.Position);
    }

    [Fact]
    public async Task A_stream_that_ends_without_zero_blocks_is_a_complete_archive()
    {
        var reader = new LayerTarReader(new MemoryStream(Concat(Header("a", '0', size: 0))));
        Assert.Equal("a", (await reader.NextAsync(CancellationToken.None))!.Name);
        Assert.Null(await reader.NextAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Binary_xattrs_in_pax_records_are_kept_byte_for_byte()
    {
        byte[] capability = [0x01, 0x00, 0x00, 0x02, 0xff, 0xfe, 0x00, 0x80, 0xc3];
        var pax = Concat(PaxRecord("SCHILY.xattr.security.capability", capability), PaxRecord("path", Encoding.UTF8.GetBytes("usr/bin/ping")), PaxRecord("mtime", "-1.5"u8.ToArray()));
        var tar = Concat(Header("PaxHeaders/ping", 'x', size: pax.Length), Data(pax), Header("ping", '0', size: 0), new byte[1024]);
        var h = await new LayerTarReader(new MemoryStream(tar)).NextAsync(CancellationToken.None);
        Assert.Equal("usr/bin/ping", h!.Name);
        Assert.Equal(capability, h.Xattrs["security.capability"]);

        // -1.5 s is 2 s before the epoch plus half a second.
        Assert.Equal(-2, h.MtimeSeconds);
        Assert.Equal(500_000_000u, h.MtimeNanos);
    }

    [Fact]
    public async Task Gnu_base256_numbers_are_read()
    {
        var header = Header("big-uid", '0', size: 0, patch: b =>
        {
            // uid 2^40 in base-256: marker bit, then big-endian.
            b.AsSpan(108, 8).Clear();
            b[108] = 0x80;
            b[110] = 0x01;
        });
        var h = await new LayerTarReader(new MemoryStream(Concat(header, new byte[1024]))).NextAsync(CancellationToken.None);
        Assert.Equal(1L << 40, h!.Uid);
    }

    [Fact]
    public async Task Header_only_types_carry_no_data_even_when_the_size_field_says_so()
    {
        // A hardlink whose size field is non-zero: archive/tar reads no data blocks for it, and neither do we.
        var tar = Concat(Header("hl", '1', size: 1000, link: "target"), Header("next", '0', size: 0), new byte[1024]);
        var reader = new LayerTarReader(new MemoryStream(tar));
        var hl = await reader.NextAsync(CancellationToken.None);
        Assert.Equal(LayerEntryType.Hardlink, hl!.Type);
        Assert.Equal(0, hl.Size);
        Assert.Equal("next", (await reader.NextAsync(CancellationToken.None))!.Name);
    }

    [Fact]
    public async Task Old_style_names_ending_in_a_slash_are_directories()
    {
        var h = await new LayerTarReader(new MemoryStream(Concat(Header("olddir/", '\0', size: 0), new byte[1024]))).NextAsync(CancellationToken.None);
        Assert.Equal(LayerEntryType.Directory, h!.Type);
    }

    public static TheoryData<string, byte[]> BadArchives() => new()
    {
        // The checksum does not match the header.
        { LayerErrors.InvalidTar, Concat(Header("a", '0', size: 0, patch: b => b[0] = (byte)'b', fixChecksum: false)) },
        // A type the codec does not know.
        { LayerErrors.Unsupported, Concat(Header("weird", 'Z', size: 0)) },
        // A NUL byte inside a PAX path.
        { LayerErrors.UnsafePath, Concat(Header("x", 'x', size: PaxRecord("path", "a\0b"u8.ToArray()).Length), Data(PaxRecord("path", "a\0b"u8.ToArray())), Header("x", '0', size: 0)) },
        // A PAX record whose length runs past the data.
        { LayerErrors.InvalidTar, Concat(Header("x", 'x', size: 12), Data("99 path=abc\n"u8.ToArray()), Header("x", '0', size: 0)) },
        // A negative number in base-256.
        { LayerErrors.InvalidTar, Concat(Header("neg", '0', size: 0, patch: b => { b.AsSpan(108, 8).Clear(); b[108] = 0xC0; })) },
        // Digits that are not octal.
        { LayerErrors.InvalidTar, Concat(Header("bad-mode", '0', size: 0, patch: b => "0000098\0"u8.CopyTo(b.AsSpan(100, 8)))) },
    };

    [Theory]
    [MemberData(nameof(BadArchives))]
    public async Task Bad_archives_are_refused_with_a_stable_code(string code, byte[] tar)
    {
        var e = await Assert.ThrowsAsync<StrataException>(() => new LayerTarReader(new MemoryStream(tar)).NextAsync(CancellationToken.None));
        Assert.Equal(code, e.Code);
    }

    [Fact]
    public async Task Data_cut_short_is_refused_when_read()
    {
        var reader = new LayerTarReader(new MemoryStream(Concat(Header("a", '0', size: 100), "only ten b"u8.ToArray())));
        await reader.NextAsync(CancellationToken.None);
        var e = await Assert.ThrowsAsync<StrataException>(() => ReadDataAsync(reader));
        Assert.Equal(LayerErrors.InvalidTar, e.Code);
    }

    private static TarEntry Entry(TarEntryFormat format, TarEntryType type, string name, Action<TarEntry> set)
    {
        TarEntry e = format switch
        {
            TarEntryFormat.Ustar => new UstarTarEntry(type, name),
            TarEntryFormat.Gnu => new GnuTarEntry(type, name),
            _ => new PaxTarEntry(type, name),
        };
        set(e);
        return e;
    }

    private static async Task<string> ReadDataAsync(LayerTarReader reader)
    {
        var buffer = new byte[4096];
        var text = new StringBuilder();
        int n;
        while ((n = await reader.ReadDataAsync(buffer, CancellationToken.None)) > 0)
        {
            text.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }

        return text.ToString();
    }

    /// <summary>A ustar header block written by hand, so tests can store what no well-behaved writer would.</summary>
    private static byte[] Header(string name, char type, long size, string link = "", Action<byte[]>? patch = null, bool fixChecksum = true)
    {
        var b = new byte[512];
        Encoding.UTF8.GetBytes(name).CopyTo(b, 0);
        Octal(b, 100, 8, 0x1A4);
        Octal(b, 108, 8, 0);
        Octal(b, 116, 8, 0);
        Octal(b, 124, 12, size);
        Octal(b, 136, 12, 1_600_000_000);
        b[156] = (byte)type;
        Encoding.UTF8.GetBytes(link).CopyTo(b, 157);
        "ustar\0"u8.CopyTo(b.AsSpan(257));
        "00"u8.CopyTo(b.AsSpan(263));
        Checksum(b);
        if (patch is not null)
        {
            patch(b);
            if (fixChecksum)
            {
                Checksum(b);
            }
        }

        return b;
    }

    private static void Checksum(byte[] b)
    {
        b.AsSpan(148, 8).Fill((byte)' ');
        var sum = b.Sum(x => (long)x);
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(b, 148);
    }

    private static void Octal(byte[] b, int offset, int length, long value) =>
        Encoding.ASCII.GetBytes(Convert.ToString(value, 8).PadLeft(length - 1, '0') + "\0").CopyTo(b, offset);

    /// <summary>Data padded to whole blocks.</summary>
    private static byte[] Data(byte[] data)
    {
        var padded = new byte[(data.Length + 511) / 512 * 512];
        data.CopyTo(padded, 0);
        return padded;
    }

    /// <summary>"LEN key=value\n" with LEN counting the whole record.</summary>
    private static byte[] PaxRecord(string key, byte[] value)
    {
        var body = Concat(Encoding.UTF8.GetBytes(" " + key + "="), value, "\n"u8.ToArray());
        var len = body.Length + 1;
        while (len.ToString(System.Globalization.CultureInfo.InvariantCulture).Length + body.Length != len)
        {
            len++;
        }

        return Concat(Encoding.ASCII.GetBytes(len.ToString(System.Globalization.CultureInfo.InvariantCulture)), body);
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}
