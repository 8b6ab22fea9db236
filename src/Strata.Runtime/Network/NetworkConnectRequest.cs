namespace Strata.Runtime.Network;

/// <summary><c>network connect [--alias A] [--ip IP] NETWORK CONTAINER</c>.</summary>
public sealed record NetworkConnectRequest
{
    public required string Network { get; init; }

    public required string Container { get; init; }

    public IReadOnlyList<string> Aliases { get; init; } = [];

    public string? IpAddress { get; init; }
}
