namespace Strata.Registry.Metadata;

/// <summary>A registry user: bcrypt hash, admin flag and groups (for access rules).</summary>
public sealed record RegistryUser(string Name, string Hash, bool Admin, IReadOnlyList<string> Groups, DateTimeOffset Created);
