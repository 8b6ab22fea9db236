using Strata.Storage.Content;

namespace Strata.Storage.Images.Analysis;

/// <summary><c>image analyze</c>: the <see cref="WasteWalker"/> over an image's layers in the local store, per layer and per file.</summary>
public sealed class ImageAnalyzer
{
    private readonly IImageStore _images;
    private readonly IContentProvider _content;

    public ImageAnalyzer(IImageStore images, IContentProvider content)
    {
        _images = images;
        _content = content;
    }

    public async Task<ImageAnalysis> AnalyzeAsync(ImageRecord image, int top = 10, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        var (_, config) = await _images.ReadAsync(image, cancellationToken).ConfigureAwait(false);
        var layers = await _images.LayersAsync(image, cancellationToken).ConfigureAwait(false);
        var createdBy = (config.History ?? []).Where(h => h.EmptyLayer != true).Select(h => h.CreatedBy ?? string.Empty).ToList();
        var walk = await WasteWalker.WalkAsync([.. layers.Select(l => (Func<CancellationToken, Task<Stream>>)(ct => _content.OpenReadAsync(l.Digest, ct)))], null, cancellationToken).ConfigureAwait(false);
        var hidden = walk.Waste.Where(w => w.Bytes > 0).ToList();
        var analyses = layers.Select((l, i) => new LayerAnalysis(
            i,
            l.Digest,
            l.Size,
            walk.Layers[i].ContentSize,
            walk.Layers[i].Added,
            walk.Layers[i].Changed,
            walk.Layers[i].Removed,
            hidden.Where(w => w.EarlierLayer == i).Sum(w => w.Bytes),
            i < createdBy.Count ? createdBy[i] : string.Empty)).ToList();
        var total = walk.TotalContentSize;
        var wasted = walk.WastedBytes;
        return new ImageAnalysis(image.Id, analyses, total, wasted, total == 0 ? 1.0 : 1.0 - ((double)wasted / total), WastedFile.Top(hidden, top, "/"));
    }
}
