namespace Strata.Storage.Content;

/// <summary>An ingest in progress: <see cref="Offset"/> bytes are durable and a writer may resume there.</summary>
public sealed record IngestStatus(string Ref, long Offset, DateTimeOffset StartedAt, DateTimeOffset UpdatedAt);
