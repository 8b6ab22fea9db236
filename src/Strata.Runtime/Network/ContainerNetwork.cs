namespace Strata.Runtime.Network;

/// <summary>A started container's networking: the namespace the runtime joins and its endpoints, first = eth0.</summary>
public sealed record ContainerNetwork(string NamespacePath, IReadOnlyList<NetworkEndpoint> Endpoints, IReadOnlyList<string> Warnings)
{
    /// <summary>True when one of its networks is user-defined: the embedded DNS answers in the container.</summary>
    public bool HasNameResolution { get; init; }

    /// <summary>True when every network it is on is internal (no way out: the DNS does not forward).</summary>
    public bool InternalOnly { get; init; }
}
