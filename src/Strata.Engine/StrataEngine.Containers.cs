using Strata.Distribution;
using Strata.Distribution.Pull;
using Strata.Oci;
using Strata.Runtime.Containers;
using Strata.Runtime.Volumes;

namespace Strata.Engine;

/// <summary>The runtime area: containers, their files and processes, volumes, and the check that keeps <c>rmi</c> from removing an image in use.</summary>
public sealed partial class StrataEngine
{
    private ContainerManager? _containers;

    /// <summary>Container lifecycle: create, start, stop, remove, commit.</summary>
    public ContainerManager Containers => _containers ??= new ContainerManager(
        Root, Db, Images, _snapshotter ?? throw StrataException.Precondition("SNAPSHOTTER_NOT_READY", "the snapshotter is not initialized"),
        Content, ImageWriter, LayerDiffer, Options.Runtime) { Events = Events };

    /// <summary>A container's files: <c>diff</c>, <c>export</c>, <c>cp</c>.</summary>
    public ContainerFiles ContainerFiles => new(Containers, Snapshotter, LayerDiffer);

    /// <summary>Processes in a running container: <c>exec</c>, <c>top</c>.</summary>
    public ContainerExec ContainerExec => new(Containers);

    /// <summary>Volumes: records on <see cref="VolumeManager.Store"/>, removal and prune that check the containers.</summary>
    public VolumeManager Volumes => new(Containers.Volumes, Containers.Store);

    /// <summary><c>create</c> (and the first half of <c>run</c>): ensures the image by <paramref name="pull"/>, then creates the container from it.</summary>
    public async Task<ContainerRecord> CreateContainerAsync(ContainerOptions options, PullPolicy pull, Platform? platform, IProgress<TransferEvent>? progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var image = await EnsureImageAsync(options.Image, pull, platform, progress, cancellationToken).ConfigureAwait(false);
        return await Containers.CreateAsync(options, image, cancellationToken).ConfigureAwait(false);
    }

    private void InitializeContainers() => ImageUsageChecks.Add(new ContainerImageUsageCheck(Containers));
}
