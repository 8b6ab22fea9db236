using System.Text.Json.Serialization;

namespace Strata.Registry.Blobs;

/// <summary>One written part of a multipart upload: its number, ETag and size.</summary>
public sealed record S3UploadPart(
    [property: JsonPropertyName("n")] int Number,
    [property: JsonPropertyName("etag")] string ETag,
    [property: JsonPropertyName("size")] long Size);
