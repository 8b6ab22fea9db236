using System.Net;
using System.Text.Json.Serialization;

namespace Strata.Runtime.Network;

/// <summary>
/// A network as stored: a Linux bridge (<see cref="Bridge"/>) with its own IPv4 subnet whose first usable
/// address (<see cref="Gateway"/>) is the host's address on it. The predefined <c>bridge</c> network is
/// <see cref="DefaultBridge"/> and has no name resolution, as docker's.
/// </summary>
public sealed record NetworkRecord
{
    public const string DefaultName = "bridge";

    /// <summary>64 hex characters.</summary>
    public required string Id { get; init; }

    public required string Name { get; init; }

    public string Driver { get; init; } = "bridge";

    /// <summary>CIDR, e.g. <c>172.18.0.0/16</c>.</summary>
    public required string Subnet { get; init; }

    public required string Gateway { get; init; }

    /// <summary>No route out: no masquerading, forwarding to other interfaces dropped.</summary>
    public bool Internal { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public DateTimeOffset Created { get; init; }

    /// <summary>The Linux bridge device (at most 15 characters).</summary>
    public required string Bridge { get; init; }

    [JsonIgnore]
    public string ShortId => Id[..12];

    [JsonIgnore]
    public bool IsDefault => Name == DefaultName;

    /// <summary>Container names and aliases resolve on user-defined networks only (docker's rule).</summary>
    [JsonIgnore]
    public bool HasNameResolution => !IsDefault;

    [JsonIgnore]
    public IPNetwork Network => IPNetwork.Parse(Subnet);

    [JsonIgnore]
    public int PrefixLength => Network.PrefixLength;

    /// <summary>The default <c>bridge</c> network: strata0, 10.89.0.0/24 (kept from before user networks existed).</summary>
    public static NetworkRecord DefaultBridge { get; } = new()
    {
        Id = "5374726174612d6272696467652d6e6574776f726b2d64656661756c74000001",
        Name = DefaultName,
        Subnet = "10.89.0.0/24",
        Gateway = "10.89.0.1",
        Bridge = "strata0",
        Created = DateTimeOffset.UnixEpoch,
    };
}
