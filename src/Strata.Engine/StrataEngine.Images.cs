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

    /// <summary>
    /// The snapshotter, chosen once per store: the driver recorded in the database, else <c>--storage-driver</c>,
    /// else overlay when a probe mount works, else vfs. Created on first use, so commands that never touch
    /// snapshots never probe.
    /// </summary>
    private async Task<ISnapshotter?> ImageSnapshotterAsync(CancellationToken cancellationToken)
    {
        var root = Path.Combine(Root, "snapshots");
        var store = new SnapshotStore(Db);
        var recorded = await store.GetDriverAsync(cancellationToken).ConfigureAwait(false);
        var wanted = Options.StorageDriver;
        if (recorded is not null && wanted is not null && recorded != wanted)
        {
            throw StrataException.Precondition("STORAGE_DRIVER_MISMATCH", $"the store at {Root} uses the {recorded} storage driver, not {wanted}");
        }

        var driver = recorded ?? wanted ?? (OverlaySupport.IsAvailable(root) ? "overlay" : "vfs");
        driver = await store.ClaimDriverAsync(driver, cancellationToken).ConfigureAwait(false);
        return driver switch
        {
            "overlay" => new OverlaySnapshotter(root, Db),
            "vfs" => new VfsSnapshotter(root, Db),
            _ => throw StrataException.Invalid("STORAGE_DRIVER_INVALID", $"unknown storage driver \"{driver}\": use overlay or vfs"),
        };
    }
}
