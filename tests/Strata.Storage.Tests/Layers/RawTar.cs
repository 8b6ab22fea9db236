using System.Globalization;
using System.Text;

namespace Strata.Storage.Tests.Layers;

/// <summary>
/// Writes tar blocks byte by byte, so tests can make what no well-behaved writer does: sizes that lie, base-256
/// negative times, GNU long names past PATH_MAX, PAX sparse files, truncated data.
/// </summary>
public sealed class RawTar
{
    private const int Block = 512;
    private readonly MemoryStream _out = new();

    /// <summary>One header block; <paramref name="size"/> above the octal range is written in base-256.</summary>
    public RawTar Header(string name, char type = '0', long size = 0, string link = "", long mtime = 1_600_000_000, int mode = 0x1A4)
    {
        var h = new byte[Block];
        Put(h, 0, 100, Encoding.UTF8.GetBytes(name.Length > 100 ? name[..100] : name));
        Octal(h, 100, 8, mode);
        Octal(h, 108, 8, 0);
        Octal(h, 116, 8, 0);
        Number(h, 124, 12, size);
        Number(h, 136, 12, mtime);
        h[156] = (byte)type;
        Put(h, 157, 100, Encoding.UTF8.GetBytes(link.Length > 100 ? link[..100] : link));
        Put(h, 257, 6, "ustar\0"u8.ToArray());
        Put(h, 263, 2, "00"u8.ToArray());
        Checksum(h);
        _out.Write(h);
        return this;
    }

    /// <summary>Data blocks (zero padded to a block).</summary>
    public RawTar Data(ReadOnlySpan<byte> data)
    {
        _out.Write(data);
        var pad = (Block - (data.Length % Block)) % Block;
        _out.Write(new byte[pad]);
        return this;
    }

    public RawTar File(string name, string content, long mtime = 1_600_000_000) =>
        Header(name, '0', Encoding.UTF8.GetByteCount(content), mtime: mtime).Data(Encoding.UTF8.GetBytes(content));

    /// <summary>A PAX extended header ('x') with these records, applying to the next entry.</summary>
    public RawTar Pax(params (string Key, string Value)[] records)
    {
        var body = new StringBuilder();
        foreach (var (key, value) in records)
        {
            var rest = " " + key + "=" + value + "\n";
            var restBytes = Encoding.UTF8.GetByteCount(rest);
            var len = restBytes + 1;
            while (len.ToString(CultureInfo.InvariantCulture).Length + restBytes != len)
            {
                len++;
            }

            body.Append(len.ToString(CultureInfo.InvariantCulture)).Append(rest);
        }

        var bytes = Encoding.UTF8.GetBytes(body.ToString());
        return Header("PaxHeaders/x", 'x', bytes.Length).Data(bytes);
    }

    /// <summary>A GNU long name ('L') for the next entry.</summary>
    public RawTar GnuLongName(string name)
    {
        var bytes = Encoding.UTF8.GetBytes(name + "\0");
        return Header("././@LongLink", 'L', bytes.Length).Data(bytes);
    }

    /// <summary>Two zero blocks.</summary>
    public RawTar End()
    {
        _out.Write(new byte[Block * 2]);
        return this;
    }

    public byte[] ToArray() => _out.ToArray();

    private static void Put(byte[] h, int offset, int length, byte[] value) => value.AsSpan(0, Math.Min(length, value.Length)).CopyTo(h.AsSpan(offset, length));

    private static void Octal(byte[] h, int offset, int length, long value)
    {
        var text = Convert.ToString(value, 8).PadLeft(length - 1, '0');
        Put(h, offset, length, Encoding.ASCII.GetBytes(text + "\0"));
    }

    /// <summary>Octal when it fits, else GNU base-256 (two's complement for negative values).</summary>
    private static void Number(byte[] h, int offset, int length, long value)
    {
        if (value >= 0 && value < (1L << (3 * (length - 1))))
        {
            Octal(h, offset, length, value);
            return;
        }

        var v = value;
        for (var i = offset + length - 1; i > offset; i--)
        {
            h[i] = (byte)(v & 0xFF);
            v >>= 8;
        }

        h[offset] = value < 0 ? (byte)0xFF : (byte)0x80;
    }

    private static void Checksum(byte[] h)
    {
        for (var i = 148; i < 156; i++)
        {
            h[i] = (byte)' ';
        }

        var sum = 0;
        foreach (var b in h)
        {
            sum += b;
        }

        var text = Convert.ToString(sum, 8).PadLeft(6, '0');
        Put(h, 148, 8, Encoding.ASCII.GetBytes(text + "\0 "));
    }
}
