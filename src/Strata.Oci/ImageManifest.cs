using System.Text.Json;
using System.Text.Json.Serialization;

namespace Strata.Oci;

/// <summary>
/// An image manifest (OCI image-manifest.md, Docker v2 schema 2). Parsed with <see cref="Parse"/>, which
/// keeps the raw bytes: the digest of a manifest is always the digest of <see cref="Raw"/>, and a
/// manifest we did not produce is never re-serialized.
/// </summary>
public sealed record ImageManifest
{
    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; init; } = 2;

    [JsonPropertyName("mediaType")]
    public string? MediaType { get; init; }

    [JsonPropertyName("artifactType")]
    public string? ArtifactType { get; init; }

    [JsonPropertyName("config")]
    public required Descriptor Config { get; init; }

    [JsonPropertyName("layers")]
    public required IReadOnlyList<Descriptor> Layers { get; init; }

    [JsonPropertyName("subject")]
    public Descriptor? Subject { get; init; }

    [JsonPropertyName("annotations")]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>The exact bytes this manifest was parsed from, or serialized to.</summary>
    [JsonIgnore]
    public ReadOnlyMemory<byte> Raw { get; init; }

    [JsonIgnore]
    public Digest Digest => Digest.Compute(Raw.Span);

    public static ImageManifest Parse(ReadOnlyMemory<byte> raw)
    {
        try
        {
            var m = JsonSerializer.Deserialize(raw.Span, OciJsonContext.Default.ImageManifest)
                ?? throw StrataException.Invalid("MANIFEST_INVALID", "manifest is null");
            if (m.SchemaVersion != 2)
            {
                throw StrataException.Invalid("MANIFEST_INVALID", $"unsupported manifest schemaVersion {m.SchemaVersion}");
            }

            if (m.Config is null || m.Layers is null)
            {
                throw StrataException.Invalid("MANIFEST_INVALID", "manifest lacks config or layers");
            }

            return m with { Raw = raw };
        }
        catch (JsonException e)
        {
            throw StrataException.Invalid("MANIFEST_INVALID", $"invalid manifest: {e.Message}", e);
        }
    }

    /// <summary>Serializes a manifest Strata produced and returns it with <see cref="Raw"/> set.</summary>
    public ImageManifest Seal() => this with { Raw = JsonSerializer.SerializeToUtf8Bytes(this, OciJsonContext.Default.ImageManifest) };

    public Descriptor ToDescriptor(Platform? platform = null) => new()
    {
        MediaType = MediaType ?? MediaTypes.OciManifest,
        Digest = Digest,
        Size = Raw.Length,
        Platform = platform,
        ArtifactType = ArtifactType,
    };
}
