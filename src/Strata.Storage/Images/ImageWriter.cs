using System.Globalization;
using System.Text.Json;
using Strata.Oci;
using Strata.Storage.Content;

namespace Strata.Storage.Images;

/// <summary>
/// Writes a new image: config and manifest (Docker v2 schema 2 by default, OCI on request) go through content
/// store ingests, then the image is registered under its name. Used by import, commit, the builder and load.
/// Base layers keep their blobs; only the config and manifest are new (go-containerregistry's mutate.Append).
/// </summary>
public sealed class ImageWriter
{
    private readonly IContentStore _content;
    private readonly IImageStore _images;

    public ImageWriter(IContentStore content, IImageStore images)
    {
        _content = content;
        _images = images;
    }

    public async Task<ImageRecord> WriteAsync(ImageWriteRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ImageManifest? baseManifest = null;
        ImageConfig? baseConfig = null;
        if (request.Base is { } b)
        {
            (baseManifest, baseConfig) = await _images.ReadAsync(b, cancellationToken).ConfigureAwait(false);
        }

        foreach (var l in request.Layers)
        {
            var info = await _content.InfoAsync(l.Digest, cancellationToken).ConfigureAwait(false)
                ?? throw StrataException.NotFound("BLOB_UNKNOWN", $"layer blob {l.Digest} is not in the content store");
            if (info.Size != l.Size)
            {
                throw StrataException.Invalid("LAYER_SIZE", $"layer blob {l.Digest} is {info.Size} bytes, not {l.Size}");
            }
        }

        var created = request.Created ?? SourceDateEpoch() ?? DateTimeOffset.UtcNow;
        created = new DateTimeOffset(created.UtcTicks - (created.UtcTicks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
        var changes = request.Changes ?? new ConfigChanges();
        var author = changes.Author ?? request.Author;
        var history = new List<HistoryEntry>(baseConfig?.History ?? []);
        history.AddRange(NewHistory(request, created, author));
        var extra = baseConfig?.Extra is null ? new Dictionary<string, JsonElement>(StringComparer.Ordinal) : new Dictionary<string, JsonElement>(baseConfig.Extra, StringComparer.Ordinal);
        foreach (var stale in new[] { "container", "container_config", "docker_version", "comment", "parent" })
        {
            extra.Remove(stale);
        }

        if (!string.IsNullOrEmpty(request.Comment))
        {
            extra["comment"] = JsonSerializer.SerializeToElement(request.Comment, ImagesJsonContext.Default.String);
        }

        var platform = request.Platform ?? Platform.Host;
        var config = new ImageConfig
        {
            Created = created,
            Author = string.IsNullOrEmpty(author) ? null : author,
            Architecture = baseConfig?.Architecture ?? platform.Architecture,
            Os = baseConfig?.Os ?? platform.Os,
            Variant = baseConfig is null ? platform.Variant : baseConfig.Variant,
            Config = changes.ApplyTo(baseConfig?.Config),
            RootFs = new RootFs { DiffIds = [.. baseConfig?.RootFs.DiffIds ?? [], .. request.Layers.Select(l => l.DiffId)] },
            History = history,
            Extra = extra.Count == 0 ? null : extra,
        }.Seal();

        var format = request.Format;
        if (request.Layers.Any(l => !HasDockerType(l.MediaType)) || (baseManifest?.Layers.Any(l => !HasDockerType(l.MediaType)) ?? false))
        {
            // Docker v2 schema 2 has no zstd layer type.
            format = ImageFormat.Oci;
        }

        var layers = new List<Descriptor>();
        layers.AddRange((baseManifest?.Layers ?? []).Select(l => l with { MediaType = LayerMediaType(l.MediaType, format) }));
        layers.AddRange(request.Layers.Select(l => l.ToDescriptor(LayerMediaType(l.MediaType, format))));
        var configDigest = await PutAsync(config.Raw, cancellationToken).ConfigureAwait(false);
        var manifest = new ImageManifest
        {
            MediaType = format == ImageFormat.Docker ? MediaTypes.DockerManifest : MediaTypes.OciManifest,
            Config = new Descriptor
            {
                MediaType = format == ImageFormat.Docker ? MediaTypes.DockerConfig : MediaTypes.OciConfig,
                Digest = configDigest,
                Size = config.Raw.Length,
            },
            Layers = layers,
            Annotations = format == ImageFormat.Oci && request.Annotations is { Count: > 0 } a ? a : null,
        }.Seal();
        var manifestDigest = await PutAsync(manifest.Raw, cancellationToken).ConfigureAwait(false);
        var image = await _images.RegisterAsync(manifestDigest, request.Name, null, cancellationToken).ConfigureAwait(false);
        foreach (var l in request.Layers)
        {
            if (l.UncompressedSize is { } size)
            {
                await _images.SetUncompressedSizeAsync(l.Digest, size, cancellationToken).ConfigureAwait(false);
            }
        }

        return request.Layers.Any(l => l.UncompressedSize is not null)
            ? await _images.ResolveAsync(image.Id.ToString(), cancellationToken).ConfigureAwait(false)
            : image;
    }

    /// <summary>Stores a small document (config, manifest) through an ingest; returns its digest.</summary>
    public async Task<Digest> PutAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        var digest = Digest.Compute(data.Span);
        if (await _content.InfoAsync(digest, cancellationToken).ConfigureAwait(false) is not null)
        {
            return digest;
        }

        await using var w = await _content.OpenWriterAsync($"put-{digest}-{Environment.ProcessId}-{Guid.NewGuid():N}", cancellationToken).ConfigureAwait(false);
        await w.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        return await w.CommitAsync(data.Length, digest, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The media type a layer gets in a manifest of <paramref name="format"/> (same bytes, other vocabulary).</summary>
    public static string LayerMediaType(string mediaType, ImageFormat format) => (format, mediaType) switch
    {
        (ImageFormat.Docker, MediaTypes.OciLayerGzip) => MediaTypes.DockerLayerGzip,
        (ImageFormat.Docker, MediaTypes.OciLayer) => DockerLayerUncompressed,
        (ImageFormat.Oci, MediaTypes.DockerLayerGzip) => MediaTypes.OciLayerGzip,
        (ImageFormat.Oci, DockerLayerUncompressed) => MediaTypes.OciLayer,
        (ImageFormat.Oci, MediaTypes.DockerLayerForeignGzip) => MediaTypes.OciLayerNonDistributableGzip,
        _ => mediaType,
    };

    /// <summary>Docker's (unofficial but common) media type of an uncompressed layer.</summary>
    public const string DockerLayerUncompressed = "application/vnd.docker.image.rootfs.diff.tar";

    private static bool HasDockerType(string mediaType) =>
        mediaType is MediaTypes.OciLayerGzip or MediaTypes.OciLayer or MediaTypes.DockerLayerGzip or DockerLayerUncompressed or MediaTypes.DockerLayerForeignGzip;

    private static IEnumerable<HistoryEntry> NewHistory(ImageWriteRequest request, DateTimeOffset created, string? author)
    {
        if (request.History is { } given)
        {
            var nonEmpty = given.Count(h => h.EmptyLayer != true);
            if (nonEmpty != request.Layers.Count)
            {
                throw StrataException.Invalid("HISTORY_MISMATCH", $"{nonEmpty} non-empty history entries for {request.Layers.Count} new layers");
            }

            return given.Select(h => h with { Created = h.Created ?? created });
        }

        return request.Layers.Select(_ => new HistoryEntry
        {
            Created = created,
            CreatedBy = request.CreatedBy ?? string.Empty,
            Author = string.IsNullOrEmpty(author) ? null : author,
            Comment = string.IsNullOrEmpty(request.Comment) ? null : request.Comment,
        });
    }

    private static DateTimeOffset? SourceDateEpoch() =>
        long.TryParse(Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s)
            ? DateTimeOffset.FromUnixTimeSeconds(s)
            : null;
}
