namespace Strata.Registry.Metadata;

/// <summary>A repository row with its tag count, stored bytes and last push.</summary>
public sealed record RepositoryInfo(string Name, int TagCount, long Size, DateTimeOffset? LastPush);
