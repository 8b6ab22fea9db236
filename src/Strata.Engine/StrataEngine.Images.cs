using Strata.Oci;
using Strata.Storage.Images;
using Strata.Storage.Layers;
using Strata.Storage.Snapshots;

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
    public ImageStore Images => _images ??= new ImageStore(Db, Content, ImageSnapshotterAsync, new LayerApplier(), () => ImageUsageChecks);

    /// <summary>Writes new images (config + manifest) from a base and layer blobs: commit, build, import, load.</summary>
    public ImageWriter ImageWriter => new(Content, Images);

    /// <summary><c>docker import</c>.</summary>
    public ImageImporter ImageImporter => new(Content, Images);

    /// <summary><c>save</c>: docker-archive / oci-archive writer.</summary>
    public Strata.Storage.Images.Archives.ImageArchiveWriter ImageArchiveWriter => new(Images, Content);

    /// <summary><c>load</c>: docker-archive / oci-archive reader.</summary>
    public Strata.Storage.Images.Archives.ImageArchiveLoader ImageArchiveLoader => new(Content, Images);

    /// <summary>The image store's snapshotter: the one chosen when the engine opened (see StrataEngine.Snapshots).</summary>
    private Task<ISnapshotter?> ImageSnapshotterAsync(CancellationToken cancellationToken)
    {
        _ = cancellationToken;
        return Task.FromResult<ISnapshotter?>(_snapshotter);
    }
}
