using System.Globalization;
using System.Net;
using Strata.Oci;

namespace Strata.Runtime.Network;

/// <summary>
/// Where subnets for networks created without <c>--subnet</c> come from: docker's default pools (172.17.0.0/16
/// through 172.31.0.0/16 as /16s, then 192.168.0.0/16 as /20s), 172.17 left out (docker0's). Overridden by
/// <c>STRATA_NETWORK_POOLS</c> as <c>BASE/LEN:SIZE,...</c> (e.g. <c>10.100.0.0/16:24</c>).
/// </summary>
public sealed record AddressPool(IPNetwork Base, int Size)
{
    public static IReadOnlyList<AddressPool> Default { get; } =
    [
        new(IPNetwork.Parse("172.18.0.0/15"), 16),
        new(IPNetwork.Parse("172.20.0.0/14"), 16),
        new(IPNetwork.Parse("172.24.0.0/13"), 16),
        new(IPNetwork.Parse("192.168.0.0/16"), 20),
    ];

    public static IReadOnlyList<AddressPool> Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Default;
        }

        var list = new List<AddressPool>();
        foreach (var item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = item.Split(':');
            var b = Ipv4.ParseSubnet(parts[0]);
            var size = parts.Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : -1;
            if (parts.Length != 2 || size < b.PrefixLength || size > 30)
            {
                throw StrataException.Invalid(NetworkErrors.AddressInvalid, $"invalid address pool {item}: use BASE/LEN:SIZE with SIZE between LEN and 30");
            }

            list.Add(new AddressPool(b, size));
        }

        return list;
    }

    /// <summary>Every subnet of this pool, lowest first.</summary>
    public IEnumerable<IPNetwork> Subnets()
    {
        var start = Ipv4.ToUInt32(Base.BaseAddress);
        var count = 1u << (Size - Base.PrefixLength);
        var step = 1u << (32 - Size);
        for (uint i = 0; i < count; i++)
        {
            yield return new IPNetwork(Ipv4.FromUInt32(start + i * step), Size);
        }
    }
}
