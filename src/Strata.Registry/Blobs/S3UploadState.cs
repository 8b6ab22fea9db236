using System.Text.Json.Serialization;

namespace Strata.Registry.Blobs;

/// <summary>An S3 upload session's multipart upload and the parts written so far (kept as JSON in the metadata store).</summary>
public sealed record S3UploadState
{
    [JsonPropertyName("uploadId")]
    public string? UploadId { get; init; }

    [JsonPropertyName("parts")]
    public List<S3UploadPart> Parts { get; init; } = [];
}
