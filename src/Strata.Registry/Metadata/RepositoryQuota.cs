namespace Strata.Registry.Metadata;

/// <summary>A storage limit for repositories matching a pattern (same syntax as access rules).</summary>
public sealed record RepositoryQuota(string Pattern, long Bytes);
