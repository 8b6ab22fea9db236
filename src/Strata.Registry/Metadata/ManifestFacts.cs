using System.Text.Json;
using Strata.Oci;

namespace Strata.Registry.Metadata;

/// <summary>
/// What the registry needs to know about a pushed manifest, read from its raw bytes (which are
/// stored as they came and never re-serialized) through the <see cref="ImageManifest"/> and
/// <see cref="ImageIndex"/> models: media type, referenced blobs and child manifests, subject,
/// artifact type, platforms of an index, and the total size it pulls.
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

    /// <summary>
    /// Parses and validates a manifest body; <paramref name="contentType"/> is the request's
    /// Content-Type. Invalid input raises MANIFEST_INVALID (InvalidArgument).
    /// </summary>
    public static ManifestFacts Parse(ReadOnlyMemory<byte> body, string? contentType)
    {
        var header = NormalizeContentType(contentType);
        var shape = header is not null && (MediaTypes.IsIndex(header) || MediaTypes.IsManifest(header))
            ? header
            : ManifestKind.Detect(body.Span);
        if (MediaTypes.IsIndex(shape))
        {
            var index = ImageIndex.Parse(body);
            var mediaType = Resolve(index.MediaType, header, shape, index.SchemaVersion);
            CheckDescriptors(index.Manifests, "manifests[]");
            var platforms = index.Manifests
                .Where(d => d.Platform is not null)
                .Select(d => PlatformText(d.Platform!))
                .Distinct(StringComparer.Ordinal)
                .ToList();
            return new ManifestFacts(mediaType, [], index.Manifests, SubjectOf(index.Subject), index.ArtifactType, platforms, Annotations(index.Annotations));
        }

        if (!MediaTypes.IsManifest(shape))
        {
            throw RegistryErrors.InvalidManifest($"unsupported manifest media type {shape}");
        }

        var manifest = ImageManifest.Parse(body);
        var type = Resolve(manifest.MediaType, header, shape, manifest.SchemaVersion);
        if (MediaTypes.IsIndex(type))
        {
            throw RegistryErrors.InvalidManifest("an index needs a manifests array");
        }

        CheckDescriptors([manifest.Config], "config");
        CheckDescriptors(manifest.Layers, "layers[]");

        // Foreign / non-distributable layers with URLs are fetched from elsewhere.
        List<Descriptor> blobs = [manifest.Config, .. manifest.Layers.Where(l => l.Urls is not { Count: > 0 })];

        // Referrers API: a manifest without artifactType is listed with its config's media type.
        return new ManifestFacts(type, blobs, [], SubjectOf(manifest.Subject), manifest.ArtifactType ?? manifest.Config.MediaType, [], Annotations(manifest.Annotations));
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

    /// <summary><c>os/arch[/variant]</c>, the form tag lists and the UI show.</summary>
    public static string PlatformText(Platform p) =>
        $"{p.Os}/{p.Architecture}" + (string.IsNullOrEmpty(p.Variant) ? string.Empty : "/" + p.Variant);

    private static string Resolve(string? bodyType, string? header, string shape, int schemaVersion)
    {
        if (schemaVersion != 2)
        {
            throw RegistryErrors.InvalidManifest("only schemaVersion 2 manifests are accepted (schema 1 is deprecated)");
        }

        if (bodyType is not null && header is not null && header != bodyType)
        {
            throw RegistryErrors.InvalidManifest($"Content-Type {header} does not match the manifest's mediaType {bodyType}");
        }

        var mediaType = bodyType ?? header ?? shape;
        return MediaTypes.IsManifest(mediaType) || MediaTypes.IsIndex(mediaType)
            ? mediaType
            : throw RegistryErrors.InvalidManifest($"unsupported manifest media type {mediaType}");
    }

    private static void CheckDescriptors(IEnumerable<Descriptor> descriptors, string where)
    {
        foreach (var d in descriptors)
        {
            if (d is null || string.IsNullOrEmpty(d.MediaType))
            {
                throw RegistryErrors.InvalidManifest($"{where} has no mediaType");
            }

            if (d.Size < 0)
            {
                throw RegistryErrors.InvalidManifest($"{where} has an invalid size");
            }
        }
    }

    private static Digest? SubjectOf(Descriptor? subject) => subject?.Digest;

    private static string? Annotations(IReadOnlyDictionary<string, string>? annotations) =>
        annotations is null ? null : JsonSerializer.Serialize(new Dictionary<string, string>(annotations, StringComparer.Ordinal), OciJsonContext.Default.DictionaryStringString);
}
