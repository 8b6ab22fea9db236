namespace Strata.Runtime.Network;

/// <summary>A container's place on the Strata bridge: its network namespace (a path the runtime joins) and address.</summary>
public sealed record NetworkAttachment(string NamespacePath, string IpAddress, string Gateway, int PrefixLength);
