namespace Strata.Runtime.Network;

/// <summary>A network operation's outcome with the one-line notices a front end should show (NAT not possible here, ...).</summary>
public sealed record NetworkResult(NetworkRecord Network, IReadOnlyList<string> Warnings);
