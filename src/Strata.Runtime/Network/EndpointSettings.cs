namespace Strata.Runtime.Network;

/// <summary>What a container asked for on one network (<c>--network</c>, <c>--network-alias</c>, <c>--ip</c>, <c>network connect</c>); part of its spec.</summary>
public sealed record EndpointSettings
{
    /// <summary>The network's ID.</summary>
    public required string NetworkId { get; init; }

    /// <summary>The network's name when connected (display only; the ID is what counts).</summary>
    public required string NetworkName { get; init; }

    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>A fixed address (<c>--ip</c>); empty: the lowest free one at each start.</summary>
    public string IpAddress { get; init; } = string.Empty;

    /// <summary>A fixed MAC address (<c>--mac-address</c>); empty: the kernel's random one.</summary>
    public string MacAddress { get; init; } = string.Empty;
}
