using System.Globalization;
using System.Text;

namespace Strata.Storage.Layers;

/// <summary>
/// A deterministic PAX tar writer for layers: ustar headers with numeric uid/gid and empty uname/gname,
/// integer-second mtimes, and a PAX <c>x</c> header (records sorted by key) only when a field does not fit
/// ustar (long or non-ASCII names, big ids or sizes) or the entry has extended attributes, whose values are
/// written as raw bytes (<c>SCHILY.xattr.*</c>, as GNU tar and Go's archive/tar do). The PAX header's own
/// name is fixed (<c>PaxHeaders.0/...</c>) so the same tree always gives the same bytes; System.Formats.Tar's
/// TarWriter puts the process ID there and cannot write binary xattr values.
/// </summary>
public sealed class LayerTarWriter
{
    private const int Block = 512;
    private const long MaxOctal7 = 0x1FFFFF; // 07777777
    private const long MaxOctal11 = 0x1FFFFFFFF; // 077777777777

    private readonly Stream _stream;
    private readonly byte[] _header = new byte[Block];

    public LayerTarWriter(Stream stream) => _stream = stream;

    /// <summary>Writes a header; for regular files, then exactly <see cref="TarEntryHeader.Size"/> bytes from <paramref name="data"/>.</summary>
    public async Task WriteEntryAsync(TarEntryHeader entry, Stream? data, CancellationToken cancellationToken)
    {
        var name = entry.Type == LayerEntryType.Directory && !entry.Name.EndsWith('/') ? entry.Name + "/" : entry.Name;
        var size = entry.Type == LayerEntryType.RegularFile ? entry.Size : 0;
        var records = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        if (!FitsUstar(name))
        {
            records["path"] = Encoding.UTF8.GetBytes(name);
        }

        if (!FitsUstar(entry.LinkName))
        {
            records["linkpath"] = Encoding.UTF8.GetBytes(entry.LinkName);
        }

        if (entry.Uid is < 0 or > MaxOctal7)
        {
            records["uid"] = Ascii(entry.Uid);
        }

        if (entry.Gid is < 0 or > MaxOctal7)
        {
            records["gid"] = Ascii(entry.Gid);
        }

        if (size > MaxOctal11)
        {
            records["size"] = Ascii(size);
        }

        foreach (var (key, value) in entry.Xattrs)
        {
            records["SCHILY.xattr." + key] = value;
        }

        if (records.Count > 0)
        {
            var body = PaxBody(records);
            var slash = name.TrimEnd('/').LastIndexOf('/');
            var paxName = (slash < 0 ? "" : name[..(slash + 1)]) + "PaxHeaders.0/" + name.TrimEnd('/')[(slash + 1)..];
            FillHeader(paxName, 'x', "", 0, 0, 0, body.Length, 0, 0, 0);
            await _stream.WriteAsync(_header, cancellationToken).ConfigureAwait(false);
            await _stream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
            await WritePaddingAsync(body.Length, cancellationToken).ConfigureAwait(false);
        }

        var type = entry.Type switch
        {
            LayerEntryType.RegularFile => '0',
            LayerEntryType.Hardlink => '1',
            LayerEntryType.Symlink => '2',
            LayerEntryType.CharDevice => '3',
            LayerEntryType.BlockDevice => '4',
            LayerEntryType.Directory => '5',
            _ => '6',
        };
        FillHeader(name, type, entry.LinkName, entry.Mode & 0xFFF, Clamp(entry.Uid, MaxOctal7), Clamp(entry.Gid, MaxOctal7),
            Math.Min(size, MaxOctal11), Math.Clamp(entry.MtimeSeconds, 0, MaxOctal11), entry.DevMajor, entry.DevMinor);
        await _stream.WriteAsync(_header, cancellationToken).ConfigureAwait(false);
        if (size > 0)
        {
            await CopyExactlyAsync(data ?? throw new ArgumentNullException(nameof(data)), size, entry.Name, cancellationToken).ConfigureAwait(false);
            await WritePaddingAsync(size, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes the end-of-archive marker (two zero blocks).</summary>
    public Task FinishAsync(CancellationToken cancellationToken) =>
        _stream.WriteAsync(new byte[Block * 2], cancellationToken).AsTask();

    private async Task CopyExactlyAsync(Stream data, long size, string name, CancellationToken cancellationToken)
    {
        var buf = System.Buffers.ArrayPool<byte>.Shared.Rent(128 * 1024);
        try
        {
            var left = size;
            while (left > 0)
            {
                var n = await data.ReadAsync(buf.AsMemory(0, (int)Math.Min(buf.Length, left)), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    throw Oci.StrataException.Precondition("LAYER_SOURCE_CHANGED", $"{name} shrank while it was being written to the layer");
                }

                await _stream.WriteAsync(buf.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                left -= n;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buf);
        }
    }

    private Task WritePaddingAsync(long size, CancellationToken cancellationToken)
    {
        var pad = (int)((Block - (size % Block)) % Block);
        return pad == 0 ? Task.CompletedTask : _stream.WriteAsync(new byte[pad], cancellationToken).AsTask();
    }

    private static long Clamp(long v, long max) => v < 0 || v > max ? 0 : v;

    private static byte[] Ascii(long v) => Encoding.ASCII.GetBytes(v.ToString(CultureInfo.InvariantCulture));

    private static bool FitsUstar(string s) => s.Length <= 100 && Ascii7(s);

    private static bool Ascii7(string s)
    {
        foreach (var c in s)
        {
            if (c is < (char)1 or > (char)127)
            {
                return false;
            }
        }

        return true;
    }

    private static byte[] PaxBody(SortedDictionary<string, byte[]> records)
    {
        using var ms = new MemoryStream();
        foreach (var (key, value) in records)
        {
            // "<len> <key>=<value>\n" where len counts the whole record, its own digits included.
            var keyBytes = Encoding.UTF8.GetBytes(key);
            var rest = 1 + keyBytes.Length + 1 + value.Length + 1;
            var len = rest + 1;
            while (len.ToString(CultureInfo.InvariantCulture).Length + rest != len)
            {
                len = len.ToString(CultureInfo.InvariantCulture).Length + rest;
            }

            ms.Write(Encoding.ASCII.GetBytes(len.ToString(CultureInfo.InvariantCulture)));
            ms.WriteByte((byte)' ');
            ms.Write(keyBytes);
            ms.WriteByte((byte)'=');
            ms.Write(value);
            ms.WriteByte((byte)'\n');
        }

        return ms.ToArray();
    }

    private void FillHeader(string name, char type, string link, uint mode, long uid, long gid, long size, long mtime, uint major, uint minor)
    {
        var h = _header.AsSpan();
        h.Clear();
        PutString(h[..100], name);
        PutOctal(h.Slice(100, 8), mode);
        PutOctal(h.Slice(108, 8), uid);
        PutOctal(h.Slice(116, 8), gid);
        PutOctal(h.Slice(124, 12), size);
        PutOctal(h.Slice(136, 12), mtime);
        h[156] = (byte)type;
        PutString(h.Slice(157, 100), link);
        "ustar\0"u8.CopyTo(h.Slice(257, 6));
        "00"u8.CopyTo(h.Slice(263, 2));
        PutOctal(h.Slice(329, 8), major);
        PutOctal(h.Slice(337, 8), minor);
        h.Slice(148, 8).Fill((byte)' ');
        var sum = 0;
        foreach (var c in h)
        {
            sum += c;
        }

        // Checksum: six octal digits, NUL, space (as GNU tar and Go write it).
        PutOctal(h.Slice(148, 7), sum);
        h[155] = (byte)' ';
    }

    private static void PutString(Span<byte> field, string s)
    {
        // Names longer than the field went to PAX; the ustar field keeps a truncated prefix.
        var bytes = Encoding.UTF8.GetBytes(s);
        bytes.AsSpan(0, Math.Min(bytes.Length, field.Length)).CopyTo(field);
    }

    private static void PutOctal(Span<byte> field, long value)
    {
        // Zero-padded octal digits filling the field but its last byte, which stays NUL.
        var digits = field.Length - 1;
        for (var i = digits - 1; i >= 0; i--)
        {
            field[i] = (byte)('0' + (value & 7));
            value >>= 3;
        }
    }
}
