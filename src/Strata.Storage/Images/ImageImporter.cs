using Strata.Oci;
using Strata.Storage.Content;
using Strata.Storage.Layers;

namespace Strata.Storage.Images;

/// <summary>
/// <c>docker import</c>: a root filesystem tar (plain, gzip or zstd) becomes a one-layer image. The tar is
/// stored as given (its digest is the DiffID) inside a gzip blob; both digests come from one pass.
/// </summary>
public sealed class ImageImporter
{
    private readonly IContentStore _content;
    private readonly IImageStore _images;

    public ImageImporter(IContentStore content, IImageStore images)
    {
        _content = content;
        _images = images;
    }

    /// <param name="source">Shown in the history comment when <paramref name="message"/> is empty (<c>Imported from -</c>).</param>
    public async Task<ImageRecord> ImportAsync(
        Stream input,
        Reference? name,
        IEnumerable<string>? changes = null,
        string? message = null,
        string source = "-",
        Platform? platform = null,
        ImageFormat format = ImageFormat.Docker,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var configChanges = ChangeInstructions.Parse(changes ?? []);
        LayerBlob layer;
        try
        {
            await using var tar = await Compression.DecompressAsync(input, cancellationToken).ConfigureAwait(false);
            layer = await LayerIngest.FromTarAsync(_content, tar, LayerCompression.Gzip, validate: true, format, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            throw StrataException.Invalid("TAR_INVALID", $"invalid input: {e.Message}", e);
        }

        var comment = string.IsNullOrEmpty(message) ? $"Imported from {source}" : message;
        return await new ImageWriter(_content, _images).WriteAsync(new ImageWriteRequest
        {
            Layers = [layer],
            Changes = configChanges,
            Platform = platform,
            Format = format,
            Name = name,
            Comment = comment,
            History = [new HistoryEntry { CreatedBy = string.Empty, Comment = comment }],
        }, cancellationToken).ConfigureAwait(false);
    }
}
