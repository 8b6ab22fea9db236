namespace Strata.Registry.Metadata;

/// <summary>
/// A blob upload session as the metadata store keeps it (OCI distribution spec "upload session"):
/// its id, repository and start, and what the blob store needs to resume it on any replica
/// (<see cref="Offset"/> bytes received, the store's own <see cref="State"/> such as an S3 multipart
/// upload and its parts, and <see cref="Tail"/>: received bytes not yet written as a part).
/// <see cref="Version"/> changes on every update, so two replicas never both continue one upload.
/// </summary>
public sealed record StoredUpload(string Id, string Repository, DateTimeOffset Started)
{
    public long Offset { get; init; }

    public string? State { get; init; }

    public ReadOnlyMemory<byte> Tail { get; init; }

    public long Version { get; init; }
}
