namespace Strata.Runtime.Network;

/// <summary>Where a running container sits on one network: its interface and address (part of its state, cleared when it stops).</summary>
public sealed record NetworkEndpoint
{
    public required string NetworkId { get; init; }

    public required string NetworkName { get; init; }

    /// <summary>The interface inside the container (eth0, eth1, ...).</summary>
    public required string Interface { get; init; }

    /// <summary>The host end of the veth pair, on the network's bridge.</summary>
    public required string HostInterface { get; init; }

    public required string IpAddress { get; init; }

    public required string Gateway { get; init; }

    public required int PrefixLength { get; init; }

    public string MacAddress { get; init; } = string.Empty;
}
