namespace Strata.Registry.Metadata;

/// <summary>A tag with what it points at, for listings and the UI.</summary>
public sealed record TagInfo(string Name, string Digest, string MediaType, long TotalSize, DateTimeOffset Pushed, IReadOnlyList<string> Platforms);
