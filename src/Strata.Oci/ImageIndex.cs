using System.Text.Json;
using System.Text.Json.Serialization;

namespace Strata.Oci;

/// <summary>An image index or Docker manifest list (OCI image-index.md). Keeps its raw bytes.</summary>
public sealed record ImageIndex
{
    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; init; } = 2;

    [JsonPropertyName("mediaType")]
    public string? MediaType { get; init; }

    [JsonPropertyName("artifactType")]
    public string? ArtifactType { get; init; }

    [JsonPropertyName("manifests")]
    public required IReadOnlyList<Descriptor> Manifests { get; init; }

    [JsonPropertyName("subject")]
    public Descriptor? Subject { get; init; }

    [JsonPropertyName("annotations")]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    [JsonIgnore]
    public ReadOnlyMemory<byte> Raw { get; init; }

    [JsonIgnore]
    public Digest Digest => Digest.Compute(Raw.Span);

    public static ImageIndex Parse(ReadOnlyMemory<byte> raw)
    {
        try
        {
            var i = JsonSerializer.Deserialize(raw.Span, OciJsonContext.Default.ImageIndex)
                ?? throw StrataException.Invalid("MANIFEST_INVALID", "index is null");
            if (i.Manifests is null)
            {
                throw StrataException.Invalid("MANIFEST_INVALID", "index lacks manifests");
            }

            return i with { Raw = raw };
        }
        catch (JsonException e)
        {
            throw StrataException.Invalid("MANIFEST_INVALID", $"invalid index: {e.Message}", e);
        }
    }

    public ImageIndex Seal() => this with { Raw = JsonSerializer.SerializeToUtf8Bytes(this, OciJsonContext.Default.ImageIndex) };

    /// <summary>
    /// Picks the manifest for <paramref name="platform"/>: an exact variant match first, then any
    /// match; descriptors that are not image manifests (attestations) are skipped.
    /// </summary>
    public Descriptor? SelectManifest(Platform platform)
    {
        var candidates = Manifests
            .Where(d => MediaTypes.IsManifest(d.MediaType) && d.Platform is not null && platform.Matches(d.Platform))
            .ToList();
        var wanted = Platform.Normalize(platform);
        return candidates.FirstOrDefault(d => Platform.Normalize(d.Platform!).Variant == wanted.Variant)
            ?? candidates.FirstOrDefault();
    }
}
