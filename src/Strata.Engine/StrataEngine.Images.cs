using Strata.Storage.Images;

namespace Strata.Engine;

/// <summary>The image area: the image store, the writer other areas build images with, import.</summary>
public sealed partial class StrataEngine
{
    private ImageStore? _images;

    /// <summary>
    /// Checks <c>rmi</c> asks before deleting an image; the runtime area adds its container check here
    /// (in its InitializeAreasAsync line).
    /// </summary>
    public List<IImageUsageCheck> ImageUsageChecks { get; } = [];

    /// <summary>The image store (names, layers, unpack into snapshots, removal with GC).</summary>
    public ImageStore Images => _images ??= new ImageStore(Db, Content, ImageSnapshotter(), ImageLayerApplier(), () => ImageUsageChecks);

    /// <summary>Writes new images (config + manifest) from a base and layer blobs: commit, build, import, load.</summary>
    public ImageWriter ImageWriter => new(Content, Images);

    /// <summary><c>docker import</c>.</summary>
    public ImageImporter ImageImporter => new(Content, Images);

    // The snapshotter and layer codec come from the layers area once it lands.
    private Strata.Storage.Snapshots.ISnapshotter? ImageSnapshotter() => null;

    private Strata.Storage.Layers.ILayerApplier? ImageLayerApplier() => null;
}
