using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Strata.Runtime.Network;

/// <summary>
/// The little of DNS (RFC 1035 section 4) the embedded responder needs: read the one question of a query and
/// write an answer to it (A records, or none: NOERROR/NXDOMAIN/SERVFAIL), echoing the ID and question.
/// </summary>
public static class DnsMessage
{
    public const ushort TypeA = 1;
    public const ushort TypeAaaa = 28;
    public const ushort TypeAny = 255;
    public const ushort ClassIn = 1;
    public const int NoError = 0;
    public const int ServFail = 2;
    public const int NxDomain = 3;
    private const int HeaderLength = 12;

    /// <summary>The question of a standard query; false for anything else (responses, other opcodes, malformed).</summary>
    public static bool TryReadQuestion(ReadOnlySpan<byte> message, out string name, out ushort type, out ushort klass, out int end)
    {
        name = string.Empty;
        type = klass = 0;
        end = 0;
        if (message.Length < HeaderLength || (message[2] & 0x80) != 0 || ((message[2] >> 3) & 0x0F) != 0
            || BinaryPrimitives.ReadUInt16BigEndian(message[4..]) != 1)
        {
            return false;
        }

        var sb = new StringBuilder();
        var i = HeaderLength;
        while (true)
        {
            if (i >= message.Length)
            {
                return false;
            }

            int len = message[i++];
            if (len == 0)
            {
                break;
            }

            if (len > 63 || i + len > message.Length || sb.Length + len > 253)
            {
                return false;
            }

            if (sb.Length > 0)
            {
                sb.Append('.');
            }

            sb.Append(Encoding.ASCII.GetString(message.Slice(i, len)));
            i += len;
        }

        if (i + 4 > message.Length)
        {
            return false;
        }

        name = sb.ToString();
        type = BinaryPrimitives.ReadUInt16BigEndian(message[i..]);
        klass = BinaryPrimitives.ReadUInt16BigEndian(message[(i + 2)..]);
        end = i + 4;
        return true;
    }

    /// <summary>An authoritative answer to <paramref name="query"/> (question ending at <paramref name="questionEnd"/>) with the given A records.</summary>
    public static byte[] Answer(ReadOnlySpan<byte> query, int questionEnd, int rcode, IReadOnlyList<IPAddress> addresses, uint ttl = 600)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var answer = new byte[questionEnd + addresses.Count * 16];
        query[..questionEnd].CopyTo(answer);
        // QR=1, opcode 0, AA=1, TC=0, RD as asked; RA=1, rcode.
        answer[2] = (byte)(0x84 | (query[2] & 0x01));
        answer[3] = (byte)(0x80 | (rcode & 0x0F));
        BinaryPrimitives.WriteUInt16BigEndian(answer.AsSpan(6), (ushort)addresses.Count);
        BinaryPrimitives.WriteUInt16BigEndian(answer.AsSpan(8), 0);
        BinaryPrimitives.WriteUInt16BigEndian(answer.AsSpan(10), 0);
        var o = questionEnd;
        foreach (var a in addresses)
        {
            var s = answer.AsSpan(o);
            BinaryPrimitives.WriteUInt16BigEndian(s, 0xC00C); // the name: a pointer to the question's
            BinaryPrimitives.WriteUInt16BigEndian(s[2..], TypeA);
            BinaryPrimitives.WriteUInt16BigEndian(s[4..], ClassIn);
            BinaryPrimitives.WriteUInt32BigEndian(s[6..], ttl);
            BinaryPrimitives.WriteUInt16BigEndian(s[10..], 4);
            a.TryWriteBytes(s[12..], out _);
            o += 16;
        }

        return answer;
    }
}
