using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Strata.Oci;

namespace Strata.Runtime.Network;

/// <summary>IPv4 arithmetic over <see cref="IPNetwork"/>: masks, overlap, host addresses, CIDR parsing with one-line errors.</summary>
public static class Ipv4
{
    public static uint ToUInt32(IPAddress address) => BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());

    public static IPAddress FromUInt32(uint value)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, value);
        return new IPAddress(b);
    }

    public static IPAddress Mask(IPAddress address, int prefixLength) =>
        FromUInt32(prefixLength == 0 ? 0 : ToUInt32(address) & (uint.MaxValue << (32 - prefixLength)));

    public static bool Overlaps(IPNetwork a, IPNetwork b) => a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress);

    /// <summary>Usable host addresses of <paramref name="network"/> (not the network and broadcast addresses), lowest first.</summary>
    public static IEnumerable<IPAddress> Hosts(IPNetwork network)
    {
        var first = ToUInt32(network.BaseAddress);
        var count = network.PrefixLength >= 31 ? 0 : (1u << (32 - network.PrefixLength)) - 2;
        for (uint i = 1; i <= count; i++)
        {
            yield return FromUInt32(first + i);
        }
    }

    /// <summary>The first usable address: the gateway docker gives a subnet without <c>--gateway</c>.</summary>
    public static IPAddress FirstHost(IPNetwork network) => FromUInt32(ToUInt32(network.BaseAddress) + 1);

    /// <summary>Parses an IPv4 CIDR; host bits set is an error, as docker's.</summary>
    public static IPNetwork ParseSubnet(string text)
    {
        if (!IPNetwork.TryParse(text, out var n) || n.BaseAddress.AddressFamily != AddressFamily.InterNetwork || !text.Contains('/', StringComparison.Ordinal))
        {
            throw StrataException.Invalid(NetworkErrors.AddressInvalid, $"invalid subnet {text}: use an IPv4 CIDR such as 172.30.0.0/16");
        }

        if (n.PrefixLength > 30)
        {
            throw StrataException.Invalid(NetworkErrors.AddressInvalid, $"invalid subnet {text}: the prefix must be /30 or shorter");
        }

        return n;
    }

    public static IPAddress ParseAddress(string text, string what)
    {
        if (!IPAddress.TryParse(text, out var a) || a.AddressFamily != AddressFamily.InterNetwork || text.Count(c => c == '.') != 3)
        {
            throw StrataException.Invalid(NetworkErrors.AddressInvalid, $"invalid {what} {text}: not an IPv4 address");
        }

        return a;
    }
}
