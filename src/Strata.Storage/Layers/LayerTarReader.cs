using System.Buffers;
using System.Globalization;
using System.Text;

namespace Strata.Storage.Layers;

/// <summary>
/// A forward-only tar reader for layers: ustar, GNU (long names <c>L</c>/<c>K</c>, base-256 numbers) and
/// PAX (<c>x</c> records, including binary <c>SCHILY.xattr.*</c> values kept as bytes; <c>g</c> ignored).
/// It reads exactly the archive's blocks from the stream (no read-ahead beyond them), so the caller can
/// drain and hash the rest. System.Formats.Tar's TarReader is not used because it decodes PAX values as
/// UTF-8 text, which corrupts binary extended attributes such as <c>security.capability</c>.
/// </summary>
public sealed class LayerTarReader
{
    private const int Block = 512;
    private const int MaxPaxSize = 1 << 20;
    private const int MaxLongName = 64 * 1024;

    private readonly Stream _stream;
    private readonly byte[] _block = new byte[Block];
    private long _remaining;
    private long _padding;
    private bool _done;

    public LayerTarReader(Stream stream) => _stream = stream;

    /// <summary>Bytes of the current entry's data not yet read.</summary>
    public long Remaining => _remaining;

    /// <summary>Reads the next entry header, skipping whatever is left of the previous entry's data; null at end.</summary>
    public async Task<TarEntryHeader?> NextAsync(CancellationToken cancellationToken)
    {
        if (_done)
        {
            return null;
        }

        await SkipAsync(_remaining + _padding, cancellationToken).ConfigureAwait(false);
        _remaining = 0;
        _padding = 0;

        Dictionary<string, byte[]>? pax = null;
        string? longName = null;
        string? longLink = null;
        while (true)
        {
            if (!await ReadBlockAsync(allowEof: true, cancellationToken).ConfigureAwait(false) || IsZero(_block))
            {
                // End of archive: one or two zero blocks (or a bare end of stream, as some writers leave).
                _done = true;
                return null;
            }

            VerifyChecksum(_block);
            var type = (char)_block[156];
            var size = ParseNumber(_block.AsSpan(124, 12), "size");
            if (size < 0)
            {
                throw LayerErrors.Malformed("negative entry size");
            }

            switch (type)
            {
                case 'x':
                    pax ??= new Dictionary<string, byte[]>(StringComparer.Ordinal);
                    ParsePax(await ReadDataAsync(size, MaxPaxSize, cancellationToken).ConfigureAwait(false), pax);
                    continue;
                case 'g':
                    _ = await ReadDataAsync(size, MaxPaxSize, cancellationToken).ConfigureAwait(false);
                    continue;
                case 'L':
                    longName = CString(await ReadDataAsync(size, MaxLongName, cancellationToken).ConfigureAwait(false));
                    continue;
                case 'K':
                    longLink = CString(await ReadDataAsync(size, MaxLongName, cancellationToken).ConfigureAwait(false));
                    continue;
            }

            var header = BuildHeader(type, size, pax, longName, longLink);
            _remaining = header.Size;
            _padding = Pad(header.Size);
            return header;
        }
    }

    /// <summary>Reads the current entry's data.</summary>
    public async ValueTask<int> ReadDataAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (_remaining == 0)
        {
            return 0;
        }

        var want = (int)Math.Min(buffer.Length, _remaining);
        var n = await ReadStreamAsync(buffer[..want], cancellationToken).ConfigureAwait(false);
        if (n == 0)
        {
            throw LayerErrors.Malformed("unexpected end of data inside an entry");
        }

        _remaining -= n;
        return n;
    }

    private TarEntryHeader BuildHeader(char type, long size, Dictionary<string, byte[]>? pax, string? longName, string? longLink)
    {
        var b = _block.AsSpan();
        var magic = b.Slice(257, 6);
        var isUstar = magic.SequenceEqual("ustar\0"u8);
        var name = CString(b[..100]);
        if (isUstar)
        {
            var prefix = CString(b.Slice(345, 155));
            if (prefix.Length > 0)
            {
                name = prefix + "/" + name;
            }
        }

        name = longName ?? name;
        var link = longLink ?? CString(b.Slice(157, 100));
        var mode = (uint)(ParseNumber(b.Slice(100, 8), "mode") & 0xFFF);
        var uid = ParseNumber(b.Slice(108, 8), "uid");
        var gid = ParseNumber(b.Slice(116, 8), "gid");
        var mtime = ParseNumber(b.Slice(136, 12), "mtime");
        uint nanos = 0;
        var major = (uint)ParseNumber(b.Slice(329, 8), "devmajor");
        var minor = (uint)ParseNumber(b.Slice(337, 8), "devminor");
        var xattrs = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        if (pax is not null)
        {
            foreach (var (key, value) in pax)
            {
                switch (key)
                {
                    case "path":
                        name = Encoding.UTF8.GetString(value);
                        break;
                    case "linkpath":
                        link = Encoding.UTF8.GetString(value);
                        break;
                    case "size":
                        size = PaxLong(value, key);
                        break;
                    case "uid":
                        uid = PaxLong(value, key);
                        break;
                    case "gid":
                        gid = PaxLong(value, key);
                        break;
                    case "mtime":
                        (mtime, nanos) = PaxTime(value);
                        break;
                    default:
                        if (key.StartsWith("SCHILY.xattr.", StringComparison.Ordinal))
                        {
                            xattrs[key["SCHILY.xattr.".Length..]] = value;
                        }

                        break;
                }
            }
        }

        if (name.Length == 0)
        {
            throw LayerErrors.Malformed("an entry has an empty name");
        }

        if (name.Contains('\0', StringComparison.Ordinal) || link.Contains('\0', StringComparison.Ordinal))
        {
            throw LayerErrors.Unsafe(name, "NUL byte in a name");
        }

        var entryType = type switch
        {
            '0' or '\0' or '7' => name.EndsWith('/') ? LayerEntryType.Directory : LayerEntryType.RegularFile,
            '1' => LayerEntryType.Hardlink,
            '2' => LayerEntryType.Symlink,
            '3' => LayerEntryType.CharDevice,
            '4' => LayerEntryType.BlockDevice,
            '5' => LayerEntryType.Directory,
            '6' => LayerEntryType.Fifo,
            _ => throw StrataException(name, type),
        };

        if (entryType != LayerEntryType.RegularFile)
        {
            // Header-only types carry no data blocks (as Go's archive/tar reads them).
            size = 0;
        }

        if (size < 0)
        {
            throw LayerErrors.Malformed($"negative size for \"{name}\"");
        }

        return new TarEntryHeader
        {
            Name = name,
            Type = entryType,
            LinkName = link,
            Mode = mode,
            Uid = uid,
            Gid = gid,
            Size = size,
            MtimeSeconds = mtime,
            MtimeNanos = nanos,
            DevMajor = major,
            DevMinor = minor,
            Xattrs = xattrs,
        };
    }

    private static Oci.StrataException StrataException(string name, char type) =>
        Oci.StrataException.Invalid(LayerErrors.Unsupported, $"layer entry \"{name}\" has unsupported tar type '{(type < ' ' ? $"\\x{(int)type:x2}" : type.ToString())}'");

    private static void ParsePax(byte[] data, Dictionary<string, byte[]> into)
    {
        // Records: "<len> <key>=<value>\n", len counting the whole record (POSIX pax, Extended Header).
        var span = data.AsSpan();
        while (!span.IsEmpty)
        {
            if (span[0] == 0)
            {
                break;
            }

            var sp = span.IndexOf((byte)' ');
            if (sp <= 0 || !int.TryParse(span[..sp], NumberStyles.None, CultureInfo.InvariantCulture, out var len) || len <= sp + 1 || len > span.Length)
            {
                throw LayerErrors.Malformed("bad PAX record length");
            }

            var record = span[(sp + 1)..len];
            if (record[^1] != '\n')
            {
                throw LayerErrors.Malformed("PAX record not terminated by a newline");
            }

            record = record[..^1];
            var eq = record.IndexOf((byte)'=');
            if (eq <= 0)
            {
                throw LayerErrors.Malformed("PAX record without '='");
            }

            into[Encoding.UTF8.GetString(record[..eq])] = record[(eq + 1)..].ToArray();
            span = span[len..];
        }
    }

    private static long PaxLong(byte[] value, string key) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw LayerErrors.Malformed($"bad PAX {key} \"{Encoding.UTF8.GetString(value)}\"");

    private static (long Seconds, uint Nanos) PaxTime(byte[] value)
    {
        var text = Encoding.ASCII.GetString(value);
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var secText = dot < 0 ? text : text[..dot];
        if (!long.TryParse(secText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
        {
            throw LayerErrors.Malformed($"bad PAX mtime \"{text}\"");
        }

        uint nanos = 0;
        if (dot >= 0)
        {
            var frac = text[(dot + 1)..];
            frac = frac.Length > 9 ? frac[..9] : frac.PadRight(9, '0');
            if (!uint.TryParse(frac, NumberStyles.None, CultureInfo.InvariantCulture, out nanos))
            {
                throw LayerErrors.Malformed($"bad PAX mtime \"{text}\"");
            }

            if (text.StartsWith('-') && nanos > 0)
            {
                seconds -= 1;
                nanos = 1_000_000_000 - nanos;
            }
        }

        return (seconds, nanos);
    }

    /// <summary>Parses an octal field (NUL/space padded) or a GNU base-256 field (high bit set).</summary>
    internal static long ParseNumber(ReadOnlySpan<byte> field, string what)
    {
        if (field.Length > 0 && (field[0] & 0x80) != 0)
        {
            // Base-256 (GNU): big-endian, the first byte's high bit is the marker. Negative values are refused.
            if ((field[0] & 0x40) != 0)
            {
                throw LayerErrors.Malformed($"negative {what} field");
            }

            long v = field[0] & 0x7F;
            for (var i = 1; i < field.Length; i++)
            {
                if (v > (long.MaxValue >> 8))
                {
                    throw LayerErrors.Malformed($"{what} field overflows");
                }

                v = (v << 8) | field[i];
            }

            return v;
        }

        var s = field;
        while (!s.IsEmpty && (s[0] == ' ' || s[0] == 0))
        {
            s = s[1..];
        }

        var end = s.IndexOfAny((byte)' ', (byte)0);
        if (end >= 0)
        {
            s = s[..end];
        }

        long value = 0;
        foreach (var c in s)
        {
            if (c < '0' || c > '7')
            {
                throw LayerErrors.Malformed($"bad octal {what} field");
            }

            if (value > (long.MaxValue >> 3))
            {
                throw LayerErrors.Malformed($"{what} field overflows");
            }

            value = (value << 3) | (long)(c - '0');
        }

        return value;
    }

    private static void VerifyChecksum(byte[] block)
    {
        var expected = ParseNumber(block.AsSpan(148, 8), "checksum");
        long unsigned = 0;
        long signed = 0;
        for (var i = 0; i < Block; i++)
        {
            var c = i is >= 148 and < 156 ? (byte)' ' : block[i];
            unsigned += c;
            signed += (sbyte)c;
        }

        if (expected != unsigned && expected != signed)
        {
            throw LayerErrors.Malformed("header checksum mismatch (not a tar, or corrupted)");
        }
    }

    private static string CString(ReadOnlySpan<byte> field)
    {
        var nul = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul < 0 ? field : field[..nul]);
    }

    private static bool IsZero(ReadOnlySpan<byte> block) => !block.ContainsAnyExcept((byte)0);

    private static long Pad(long size) => (Block - (size % Block)) % Block;

    /// <summary>Every read of the (decompressed) stream: a decompressor's complaint is a corrupt layer, not an internal error.</summary>
    private async ValueTask<int> ReadStreamAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await _stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or ZstdSharp.ZstdException)
        {
            throw LayerErrors.Corrupted(e);
        }
    }

    private async Task<bool> ReadBlockAsync(bool allowEof, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < Block)
        {
            var n = await ReadStreamAsync(_block.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                if (read == 0 && allowEof)
                {
                    return false;
                }

                throw LayerErrors.Malformed("truncated header block");
            }

            read += n;
        }

        return true;
    }

    private async Task<byte[]> ReadDataAsync(long size, int max, CancellationToken cancellationToken)
    {
        if (size > max)
        {
            throw LayerErrors.Malformed($"metadata entry of {size} bytes is larger than the {max} allowed");
        }

        var data = new byte[size];
        await ReadExactlyAsync(data, cancellationToken).ConfigureAwait(false);
        await SkipAsync(Pad(size), cancellationToken).ConfigureAwait(false);
        return data;
    }

    private async Task ReadExactlyAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            await _stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException)
        {
            throw LayerErrors.Malformed("unexpected end of archive");
        }
    }

    private async Task SkipAsync(long count, CancellationToken cancellationToken)
    {
        if (count <= 0)
        {
            return;
        }

        var buf = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (count > 0)
            {
                var n = await ReadStreamAsync(buf.AsMemory(0, (int)Math.Min(buf.Length, count)), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    throw LayerErrors.Malformed("unexpected end of archive");
                }

                count -= n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buf);
        }
    }
}
