using Strata.Build.Running;
using Strata.Storage.Content;
using Strata.Storage.Images;
using Strata.Storage.Layers;
using Strata.Storage.Metadata;
using Strata.Storage.Snapshots;

namespace Strata.Build.Building;

/// <summary>What the builder needs from the rest of Strata; the engine wires it (StrataEngine.Build.cs).</summary>
public sealed record BuildServices
{
    public required ImageStore Images { get; init; }

    public required ImageWriter Writer { get; init; }

    public required IContentStore Content { get; init; }

    public required MetadataDb Db { get; init; }

    public required ISnapshotter Snapshots { get; init; }

    public required ILayerDiffer Differ { get; init; }

    public required ILayerApplier Applier { get; init; }

    public required IStepRunner Runner { get; init; }

    public required IRootfsMounter Mounter { get; init; }

    /// <summary>Pulls an image a FROM or COPY --from names (name, platform): missing from the store, or --pull.</summary>
    public required Func<string, string?, CancellationToken, Task<ImageRecord>> Pull { get; init; }

    /// <summary>A private directory for mounts, bundles and downloads (under the store root).</summary>
    public required string StateDir { get; init; }

    /// <summary>For ADD of http(s) URLs.</summary>
    public HttpClient? Http { get; init; }
}
