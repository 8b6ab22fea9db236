using Strata.Oci;
using Strata.Storage.Layers;
using Strata.Storage.Metadata;
using Strata.Storage.Snapshots;

namespace Strata.Engine;

/// <summary>Snapshots and the layer codec: driver choice (recorded in the store on first use), applier, differ.</summary>
public sealed partial class StrataEngine
{
    private SnapshotterBase? _snapshotter;

    /// <summary>The store's snapshotter (overlay or vfs), chosen when the engine opened.</summary>
    public ISnapshotter Snapshotter => _snapshotter ?? throw StrataException.Precondition("SNAPSHOTTER_NOT_READY", "the snapshotter is not initialized");

    public ILayerApplier LayerApplier { get; } = new LayerApplier();

    public ILayerDiffer LayerDiffer { get; } = new LayerDiffer();

    /// <summary>How layers are applied into this store's snapshots (overlay whiteouts or deletions).</summary>
    public WhiteoutMode LayerWhiteouts => _snapshotter?.LayerWhiteouts ?? WhiteoutMode.Overlay;

    /// <summary>Writes the changes of active snapshot <paramref name="key"/> (a container or build step) as a layer blob.</summary>
    public Task<LayerDiffResult> DiffSnapshotAsync(string key, Stream output, LayerCompression compression, CancellationToken cancellationToken = default) =>
        (_snapshotter ?? throw StrataException.Precondition("SNAPSHOTTER_NOT_READY", "the snapshotter is not initialized"))
            .DiffAsync(key, output, compression, cancellationToken);

    /// <summary>Removes snapshot directories and staging snapshots that crashed processes left behind.</summary>
    public Task<int> CleanupSnapshotsAsync(CancellationToken cancellationToken = default) =>
        _snapshotter is null ? Task.FromResult(0) : _snapshotter.CleanupAsync(cancellationToken);

    private static IEnumerable<Migration> SnapshotAreaMigrations() => SnapshotMigrations.All;

    private async Task InitializeSnapshotsAsync(CancellationToken cancellationToken)
    {
        var root = Path.Combine(Root, "snapshots");
        var store = new SnapshotStore(Db);
        var requested = Options.StorageDriver is { Length: > 0 } r ? r.Trim().ToLowerInvariant() : null;
        if (requested is not (null or "overlay" or "overlay2" or "vfs"))
        {
            throw StrataException.Invalid("STORAGE_DRIVER_UNKNOWN", $"unknown storage driver \"{Options.StorageDriver}\": use overlay or vfs");
        }

        if (requested == "overlay2")
        {
            requested = "overlay";
        }

        var recorded = await store.GetDriverAsync(cancellationToken).ConfigureAwait(false);
        if (recorded is null)
        {
            var chosen = requested;
            if (chosen is null or "overlay")
            {
                var available = OverlaySupport.IsAvailable(root);
                if (!available && chosen == "overlay")
                {
                    throw StrataException.Precondition("OVERLAY_UNAVAILABLE",
                        $"the overlay storage driver is not supported under {root} (needs root and a filesystem that can hold overlay upper dirs); use --storage-driver vfs");
                }

                if (!available)
                {
                    Events.Notice($"overlayfs is not available under {root}; using the vfs storage driver (every layer is a full copy)");
                }

                chosen = available ? "overlay" : "vfs";
            }

            recorded = await store.ClaimDriverAsync(chosen, cancellationToken).ConfigureAwait(false);
        }

        if (requested is not null && requested != recorded)
        {
            throw StrataException.Precondition("STORAGE_DRIVER_MISMATCH",
                $"the store at {Root} was created with the {recorded} storage driver; it cannot be used with {requested} (use --storage-driver {recorded} or another --root)");
        }

        _snapshotter = recorded == "vfs" ? new VfsSnapshotter(root, Db) : new OverlaySnapshotter(root, Db);
    }
}
