using Strata.Oci;

namespace Strata.Storage.Images;

/// <summary>
/// What <see cref="ImageWriter.WriteAsync"/> makes: <see cref="Base"/> (or nothing: a base image) plus
/// <see cref="Layers"/> on top, with config <see cref="Changes"/>, history and a name.
/// </summary>
public sealed record ImageWriteRequest
{
    /// <summary>The image to build on; null starts from scratch.</summary>
    public ImageRecord? Base { get; init; }

    /// <summary>Platform of a scratch image (ignored with a base); default the host's.</summary>
    public Platform? Platform { get; init; }

    /// <summary>New layers, bottom first, already committed to the content store.</summary>
    public IReadOnlyList<LayerBlob> Layers { get; init; } = [];

    public ConfigChanges? Changes { get; init; }

    /// <summary>
    /// History entries appended after the base's, in order. Entries without <c>empty_layer: true</c> must match
    /// <see cref="Layers"/> one to one. Null writes one entry per layer from <see cref="CreatedBy"/> and <see cref="Comment"/>.
    /// Entries without a <c>created</c> time get <see cref="Created"/>.
    /// </summary>
    public IReadOnlyList<HistoryEntry>? History { get; init; }

    /// <summary><c>created_by</c> of the generated history entries.</summary>
    public string? CreatedBy { get; init; }

    /// <summary><c>comment</c> of the generated history entries and of the config (docker's <c>Comment</c>).</summary>
    public string? Comment { get; init; }

    /// <summary>Config and history <c>author</c> (commit -a); <see cref="ConfigChanges.Author"/> wins when set.</summary>
    public string? Author { get; init; }

    /// <summary>Creation time; default now, or <c>SOURCE_DATE_EPOCH</c> when set (reproducible builds).</summary>
    public DateTimeOffset? Created { get; init; }

    public ImageFormat Format { get; init; } = ImageFormat.Docker;

    /// <summary>The tag to point at the new image; null leaves it dangling.</summary>
    public Reference? Name { get; init; }

    /// <summary>Manifest annotations (OCI format only).</summary>
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}
