using System.Text.Json;

namespace Strata.Oci;

/// <summary>Tells an index from an image manifest by its media type or, when absent, its shape.</summary>
public static class ManifestKind
{
    /// <summary>Returns the media type of a manifest document, sniffing when the field is absent (allowed by OCI).</summary>
    public static string Detect(ReadOnlySpan<byte> raw, string? declared = null)
    {
        if (!string.IsNullOrEmpty(declared) && (MediaTypes.IsIndex(declared) || MediaTypes.IsManifest(declared)))
        {
            return declared;
        }

        try
        {
            var reader = new Utf8JsonReader(raw);
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw StrataException.Invalid("MANIFEST_INVALID", "manifest is not a JSON object");
            }

            if (root.TryGetProperty("mediaType", out var mt) && mt.ValueKind == JsonValueKind.String)
            {
                return mt.GetString()!;
            }

            if (root.TryGetProperty("manifests", out _))
            {
                return MediaTypes.OciIndex;
            }

            if (root.TryGetProperty("config", out _))
            {
                return MediaTypes.OciManifest;
            }

            if (root.TryGetProperty("schemaVersion", out var sv) && sv.ValueKind == JsonValueKind.Number && sv.GetInt32() == 1)
            {
                return MediaTypes.DockerSchema1Signed;
            }

            throw StrataException.Invalid("MANIFEST_INVALID", "not an image manifest or index");
        }
        catch (JsonException e)
        {
            throw StrataException.Invalid("MANIFEST_INVALID", $"invalid manifest JSON: {e.Message}", e);
        }
    }
}
