using System.Text.Json;
using Strata.Oci;
using Strata.Registry.Api;

namespace Strata.Registry.Metadata;

/// <summary>
/// What the registry needs to know about a pushed manifest, read from its raw bytes (which are
/// stored as they came and never re-serialized): media type, referenced blobs and child manifests,
/// subject, artifact type, platforms of an index, and the total size it pulls.
/// </summary>
public sealed record ManifestFacts(
    string MediaType,
    IReadOnlyList<Descriptor> Blobs,
    IReadOnlyList<Descriptor> Children,
    Digest? Subject,
    string? ArtifactType,
    IReadOnlyList<string> Platforms,
    string? AnnotationsJson)
{
    /// <summary>Largest manifest accepted, as distribution (4 MiB).</summary>
    public const int MaxSize = 4 * 1024 * 1024;

    public bool IsIndex => Children.Count > 0 || MediaTypes.IsIndex(MediaType);

    /// <summary>Bytes referenced directly (config + layers); an index adds its children later.</summary>
    public long BlobBytes => Blobs.Sum(b => b.Size);

    /// <summary>Parses and validates a manifest body; <paramref name="contentType"/> is the request's Content-Type.</summary>
    public static ManifestFacts Parse(ReadOnlySpan<byte> body, string? contentType)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw RegistryApiException.ManifestInvalid($"manifest is not valid JSON: {e.Message}");
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw RegistryApiException.ManifestInvalid("manifest is not a JSON object");
            }

            if (!root.TryGetProperty("schemaVersion", out var sv) || sv.ValueKind != JsonValueKind.Number || sv.GetInt32() != 2)
            {
                throw RegistryApiException.ManifestInvalid("only schemaVersion 2 manifests are accepted (schema 1 is deprecated)");
            }

            var bodyType = root.TryGetProperty("mediaType", out var mt) && mt.ValueKind == JsonValueKind.String ? mt.GetString() : null;
            var header = NormalizeContentType(contentType);
            if (bodyType is not null && header is not null && header != bodyType)
            {
                throw RegistryApiException.ManifestInvalid($"Content-Type {header} does not match the manifest's mediaType {bodyType}");
            }

            var hasManifests = root.TryGetProperty("manifests", out var manifests) && manifests.ValueKind == JsonValueKind.Array;
            var hasLayers = root.TryGetProperty("layers", out var layers) && layers.ValueKind == JsonValueKind.Array;
            var mediaType = bodyType ?? header ?? (hasManifests ? MediaTypes.OciIndex : MediaTypes.OciManifest);
            if (!MediaTypes.IsManifest(mediaType) && !MediaTypes.IsIndex(mediaType))
            {
                throw RegistryApiException.ManifestInvalid($"unsupported manifest media type {mediaType}");
            }

            var blobs = new List<Descriptor>();
            var children = new List<Descriptor>();
            var platforms = new List<string>();
            string? artifactType = root.TryGetProperty("artifactType", out var at) && at.ValueKind == JsonValueKind.String ? at.GetString() : null;
            if (MediaTypes.IsIndex(mediaType))
            {
                if (!hasManifests)
                {
                    throw RegistryApiException.ManifestInvalid("an index needs a manifests array");
                }

                foreach (var m in manifests.EnumerateArray())
                {
                    var d = ReadDescriptor(m, "manifests[]");
                    children.Add(d);
                    if (d.Platform is { } p)
                    {
                        var s = $"{p.Os}/{p.Architecture}" + (string.IsNullOrEmpty(p.Variant) ? string.Empty : "/" + p.Variant);
                        if (!platforms.Contains(s))
                        {
                            platforms.Add(s);
                        }
                    }
                }
            }
            else
            {
                if (!root.TryGetProperty("config", out var config) || config.ValueKind != JsonValueKind.Object)
                {
                    throw RegistryApiException.ManifestInvalid("an image manifest needs a config descriptor");
                }

                var cfg = ReadDescriptor(config, "config");
                blobs.Add(cfg);
                // Referrers API: a manifest without artifactType is listed with its config's media type.
                artifactType ??= cfg.MediaType;
                if (hasLayers)
                {
                    foreach (var l in layers.EnumerateArray())
                    {
                        var d = ReadDescriptor(l, "layers[]");
                        // Foreign / non-distributable layers with URLs are fetched from elsewhere.
                        if (d.Urls is { Count: > 0 })
                        {
                            continue;
                        }

                        blobs.Add(d);
                    }
                }
                else if (mediaType == MediaTypes.DockerManifest)
                {
                    throw RegistryApiException.ManifestInvalid("a Docker image manifest needs a layers array");
                }
            }

            Digest? subject = null;
            if (root.TryGetProperty("subject", out var sub) && sub.ValueKind == JsonValueKind.Object)
            {
                subject = ReadDescriptor(sub, "subject").Digest;
            }

            string? annotations = root.TryGetProperty("annotations", out var ann) && ann.ValueKind == JsonValueKind.Object ? ann.GetRawText() : null;
            return new ManifestFacts(mediaType, blobs, children, subject, artifactType, platforms, annotations);
        }
    }

    /// <summary>The media type part of a Content-Type header, or null when absent or generic.</summary>
    public static string? NormalizeContentType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return null;
        }

        var semi = contentType.IndexOf(';', StringComparison.Ordinal);
        var t = (semi >= 0 ? contentType[..semi] : contentType).Trim();
        return t is "application/json" or "application/octet-stream" or "" ? null : t;
    }

    private static Descriptor ReadDescriptor(JsonElement e, string where)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw RegistryApiException.ManifestInvalid($"{where} is not a descriptor object");
        }

        var mediaType = e.TryGetProperty("mediaType", out var mt) && mt.ValueKind == JsonValueKind.String ? mt.GetString()! : null;
        if (string.IsNullOrEmpty(mediaType))
        {
            throw RegistryApiException.ManifestInvalid($"{where} has no mediaType");
        }

        if (!e.TryGetProperty("digest", out var dg) || dg.ValueKind != JsonValueKind.String || !Digest.TryParse(dg.GetString(), out var digest, out var error))
        {
            throw RegistryApiException.ManifestInvalid($"{where} has an invalid digest");
        }

        _ = error;
        if (!e.TryGetProperty("size", out var sz) || sz.ValueKind != JsonValueKind.Number || !sz.TryGetInt64(out var size) || size < 0)
        {
            throw RegistryApiException.ManifestInvalid($"{where} has an invalid size");
        }

        List<string>? urls = null;
        if (e.TryGetProperty("urls", out var u) && u.ValueKind == JsonValueKind.Array)
        {
            urls = [.. u.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!)];
        }

        Platform? platform = null;
        if (e.TryGetProperty("platform", out var p) && p.ValueKind == JsonValueKind.Object)
        {
            platform = new Platform
            {
                Os = p.TryGetProperty("os", out var os) && os.ValueKind == JsonValueKind.String ? os.GetString()! : "unknown",
                Architecture = p.TryGetProperty("architecture", out var ar) && ar.ValueKind == JsonValueKind.String ? ar.GetString()! : "unknown",
                Variant = p.TryGetProperty("variant", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null,
            };
        }

        var artifactType = e.TryGetProperty("artifactType", out var at) && at.ValueKind == JsonValueKind.String ? at.GetString() : null;
        return new Descriptor { MediaType = mediaType, Digest = digest, Size = size, Urls = urls, Platform = platform, ArtifactType = artifactType };
    }
}
