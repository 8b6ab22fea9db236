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

    /// <summary>Times are clamped into what a calendar (and DateTimeOffset) can show, as GNU tar clamps out-of-range ones.</summary>
    internal const long MinTime = -62_135_596_800;   // 0001-01-01T00:00:00Z
    internal const long MaxTime = 253_402_300_799;   // 9999-12-31T23:59:59Z

    private const string SparseMajor = "GNU.sparse.major";
    private const string SparseMinor = "GNU.sparse.minor";
    private const string SparseName = "GNU.sparse.name";
    private const string SparseRealSize = "GNU.sparse.realsize";
    private const string SparseSize = "GNU.sparse.size";
    private const string SparseMap = "GNU.sparse.map";
    private const string SparseOffset = "GNU.sparse.offset";
    private const string SparseNumBytes = "GNU.sparse.numbytes";

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
            if (header.Type == LayerEntryType.RegularFile && pax is not null && (pax.ContainsKey(SparseMajor) || pax.ContainsKey(SparseMap)))
            {
                header = await DecodeSparseAsync(header, pax, cancellationToken).ConfigureAwait(false);
            }

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
        var mtime = ParseTime(b.Slice(136, 12));
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
            MtimeSeconds = Math.Clamp(mtime, MinTime, MaxTime),
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

            var key = Encoding.UTF8.GetString(record[..eq]);
            var value = record[(eq + 1)..].ToArray();
            if (key is SparseOffset or SparseNumBytes)
            {
                // GNU sparse 0.0 repeats these two records once per fragment: gather them as a 0.1 map.
                var map = into.TryGetValue(SparseMap, out var m) && m.Length > 0 ? Encoding.ASCII.GetString(m) + "," : string.Empty;
                into[SparseMap] = Encoding.ASCII.GetBytes(map + Encoding.ASCII.GetString(value));
            }
            else
            {
                into[key] = value;
            }

            span = span[len..];
        }
    }

    /// <summary>
    /// A GNU sparse file in PAX form (as GNU tar and Go's archive/tar write it): version 1.0 keeps the fragment map
    /// at the start of the data (decimal lines, padded to a block), 0.1 in <c>GNU.sparse.map</c>, 0.0 in repeated
    /// offset/numbytes records. The entry's stored name (<c>GNUSparseFile.0/...</c>) gives way to <c>GNU.sparse.name</c>.
    /// </summary>
    private async Task<TarEntryHeader> DecodeSparseAsync(TarEntryHeader header, Dictionary<string, byte[]> pax, CancellationToken cancellationToken)
    {
        var major = pax.TryGetValue(SparseMajor, out var ma) ? Encoding.ASCII.GetString(ma) : null;
        var minor = pax.TryGetValue(SparseMinor, out var mi) ? Encoding.ASCII.GetString(mi) : null;
        long realSize;
        List<SparseSegment> map;
        if (major == "1" && minor == "0")
        {
            realSize = pax.TryGetValue(SparseRealSize, out var rs) ? PaxLong(rs, SparseRealSize) : throw LayerErrors.Malformed("GNU sparse 1.0 entry without GNU.sparse.realsize");
            map = await ReadSparseMapAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (major is null or "0" && pax.TryGetValue(SparseMap, out var text))
        {
            realSize = pax.TryGetValue(SparseSize, out var sz) ? PaxLong(sz, SparseSize) : throw LayerErrors.Malformed("GNU sparse entry without GNU.sparse.size");
            map = ParseSparseNumbers(Encoding.ASCII.GetString(text).Split(',', StringSplitOptions.None));
        }
        else
        {
            throw Oci.StrataException.Invalid(LayerErrors.Unsupported, $"layer entry \"{header.Name}\" is a GNU sparse file of version {major}.{minor}, which is not supported");
        }

        long end = 0;
        long data = 0;
        foreach (var segment in map)
        {
            if (segment.Offset < end || segment.Length < 0 || segment.Offset > realSize - segment.Length)
            {
                throw LayerErrors.Malformed($"sparse map of \"{header.Name}\" has fragments that overlap or run past its size");
            }

            end = segment.Offset + segment.Length;
            data += segment.Length;
        }

        if (data != _remaining)
        {
            throw LayerErrors.Malformed($"sparse map of \"{header.Name}\" names {data} bytes of data, the entry holds {_remaining}");
        }

        return new TarEntryHeader
        {
            Name = pax.TryGetValue(SparseName, out var name) ? Encoding.UTF8.GetString(name) : header.Name,
            Type = header.Type,
            LinkName = header.LinkName,
            Mode = header.Mode,
            Uid = header.Uid,
            Gid = header.Gid,
            Size = realSize,
            Sparse = map,
            MtimeSeconds = header.MtimeSeconds,
            MtimeNanos = header.MtimeNanos,
            DevMajor = header.DevMajor,
            DevMinor = header.DevMinor,
            Xattrs = header.Xattrs,
        };
    }

    /// <summary>Reads the 1.0 map: a count, then offset and length per fragment, one decimal number a line.</summary>
    private async Task<List<SparseSegment>> ReadSparseMapAsync(CancellationToken cancellationToken)
    {
        var block = new byte[Block];
        var numbers = new List<string>();
        var current = new StringBuilder();
        long? wanted = null;
        var consumed = 0;
        while (wanted is null || numbers.Count < wanted)
        {
            if (_remaining < Block || consumed >= MaxPaxSize)
            {
                throw LayerErrors.Malformed("GNU sparse map runs past its entry or past 1 MiB");
            }

            await ReadExactlyAsync(block, cancellationToken).ConfigureAwait(false);
            _remaining -= Block;
            consumed += Block;
            foreach (var c in block)
            {
                if (wanted is not null && numbers.Count == wanted)
                {
                    break; // the rest of the block is padding
                }

                if (c == '\n')
                {
                    numbers.Add(current.ToString());
                    current.Clear();
                    if (wanted is null)
                    {
                        if (!long.TryParse(numbers[0], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count > MaxPaxSize / 4)
                        {
                            throw LayerErrors.Malformed($"bad GNU sparse map fragment count \"{numbers[0]}\"");
                        }

                        numbers.Clear();
                        wanted = 2 * count;
                    }
                }
                else if (char.IsAsciiDigit((char)c) && current.Length < 20)
                {
                    current.Append((char)c);
                }
                else
                {
                    throw LayerErrors.Malformed("bad GNU sparse map");
                }
            }
        }

        return ParseSparseNumbers(numbers);
    }

    private static List<SparseSegment> ParseSparseNumbers(IReadOnlyList<string> numbers)
    {
        if (numbers is [""])
        {
            numbers = [];
        }

        if (numbers.Count % 2 != 0)
        {
            throw LayerErrors.Malformed("GNU sparse map with an odd count of numbers");
        }

        var values = new long[numbers.Count];
        for (var i = 0; i < numbers.Count; i++)
        {
            if (!long.TryParse(numbers[i], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]))
            {
                throw LayerErrors.Malformed($"bad number \"{numbers[i]}\" in a GNU sparse map");
            }
        }

        var map = new List<SparseSegment>(values.Length / 2);
        for (var i = 0; i < values.Length; i += 2)
        {
            map.Add(new SparseSegment(values[i], values[i + 1]));
        }

        return map;
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
            // Digits beyond a 64-bit time are clamped (GNU tar); anything else is not a time.
            var digits = secText.StartsWith('-') ? secText[1..] : secText;
            if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
            {
                throw LayerErrors.Malformed($"bad PAX mtime \"{text}\"");
            }

            seconds = secText.StartsWith('-') ? MinTime : MaxTime;
        }

        seconds = Math.Clamp(seconds, MinTime, MaxTime);

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

    /// <summary>
    /// The mtime field: octal, or GNU base-256 two's complement, where negative times (before 1970) are valid;
    /// values past 64 bits are clamped rather than refused.
    /// </summary>
    internal static long ParseTime(ReadOnlySpan<byte> field)
    {
        if (field.IsEmpty || (field[0] & 0x80) == 0)
        {
            return ParseNumber(field, "mtime");
        }

        // Go's archive/tar: invert the bytes of a negative number, read it as unsigned, invert back.
        var negative = (field[0] & 0x40) != 0;
        var inv = negative ? (byte)0xFF : (byte)0;
        ulong x = 0;
        for (var i = 0; i < field.Length; i++)
        {
            var c = (byte)(field[i] ^ inv);
            if (i == 0)
            {
                c &= 0x7F;
            }

            if ((x >> 55) != 0)
            {
                return negative ? MinTime : MaxTime;
            }

            x = (x << 8) | c;
        }

        return negative ? ~(long)x : (long)x;
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
