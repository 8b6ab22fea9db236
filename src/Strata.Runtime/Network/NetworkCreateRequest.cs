namespace Strata.Runtime.Network;

/// <summary><c>network create</c>: a bridge network with an optional fixed subnet/gateway.</summary>
public sealed record NetworkCreateRequest
{
    public required string Name { get; init; }

    /// <summary>Only <c>bridge</c> exists.</summary>
    public string Driver { get; init; } = "bridge";

    /// <summary>IPv4 CIDR; null: the first free subnet of the pool.</summary>
    public string? Subnet { get; init; }

    /// <summary>null: the subnet's first usable address.</summary>
    public string? Gateway { get; init; }

    public bool Internal { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}
