using Strata.Build.Building;
using Strata.Build.Caching;
using Strata.Build.Context;
using Strata.Build.Running;
using Strata.Distribution.Settings;
using Strata.Oci;
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
        var puller = ImagePuller(Registries(request.Registry ?? await RegistrySettings.LoadAsync(null, cancellationToken).ConfigureAwait(false)));

        // One pull per image and platform per build, however many stages or COPY --from name it (docker's --pull too).
        var pulled = new Dictionary<(string, string?), ImageRecord>();
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
            Pull = async (name, platform, ct) =>
            {
                if (!pulled.TryGetValue((name, platform), out var image))
                {
                    var result = await PullImageAsync(puller, Reference.ParseAny(name), platform is null ? null : Platform.Parse(platform), request.PullProgress, ct).ConfigureAwait(false);
                    pulled[(name, platform)] = image = result.Image;
                }

                return image;
            },
        };
        return await new Builder(services).BuildAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The context and Dockerfile <c>build PATH|-</c> with <c>-f</c> name (see <see cref="BuildSource"/>);
    /// <paramref name="openStdin"/> is the front end's input for <c>-</c>. A context from stdin is unpacked under the store.
    /// </summary>
    public Task<BuildInput> OpenBuildInputAsync(string context, string? dockerfile, Func<Stream> openStdin, CancellationToken cancellationToken = default) =>
        BuildSource.LoadAsync(context, dockerfile, openStdin, Path.Combine(Root, "build", "tmp"), cancellationToken);

    /// <summary>Drops the build cache (<c>strata builder prune</c>); returns how many steps were forgotten.</summary>
    public Task<int> PruneBuildCacheAsync(CancellationToken cancellationToken = default) =>
        new BuildCache(Db, Content, Snapshotter).PruneAsync(cancellationToken);
}
