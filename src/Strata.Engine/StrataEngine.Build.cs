using Strata.Build.Building;
using Strata.Build.Caching;
using Strata.Build.Running;
using Strata.Storage.Images;

namespace Strata.Engine;

/// <summary>The build area: <c>strata build</c> and its step cache.</summary>
public sealed partial class StrataEngine
{
    /// <summary>Builds an image from a Dockerfile (see <see cref="Builder"/>).</summary>
    public async Task<BuildResult> BuildAsync(BuildRequest request, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
        var stateDir = Path.Combine(Root, "build");
        Directory.CreateDirectory(stateDir);

        var images = Images;
        var services = new BuildServices
        {
            Images = images,
            Writer = new ImageWriter(Content, images),
            Content = Content,
            Db = Db,
            Snapshots = Snapshotter,
            Differ = LayerDiffer,
            Applier = LayerApplier,
            Runner = new RuncStepRunner(RuncStepRunner.FindRuntime(Options.Runtime), stateDir),
            Mounter = new SnapshotMounter(),
            StateDir = stateDir,
            Http = http,
        };
        return await new Builder(services).BuildAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops the build cache and the RUN cache mounts (<c>strata builder prune</c>); returns how many steps were forgotten.</summary>
    public async Task<int> PruneBuildCacheAsync(CancellationToken cancellationToken = default)
    {
        var n = await new BuildCache(Db, Content, Snapshotter).PruneAsync(cancellationToken).ConfigureAwait(false);
        Builder.PruneCacheMounts(Path.Combine(Root, "build"));
        return n;
    }
}
