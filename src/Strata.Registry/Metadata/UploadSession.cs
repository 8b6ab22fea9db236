namespace Strata.Registry.Metadata;

/// <summary>An upload session: its id (also the content store ingest ref) and repository.</summary>
public sealed record UploadSession(string Id, string Repository, DateTimeOffset Started);
