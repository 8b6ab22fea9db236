using Strata.Runtime.Containers;

namespace Strata.Engine;

/// <summary>The runtime area: containers and volumes, and the check that keeps <c>rmi</c> from removing an image in use.</summary>
public sealed partial class StrataEngine
{
    private ContainerManager? _containers;

    public ContainerManager Containers => _containers ??= new ContainerManager(
        Root, Db, Images, _snapshotter ?? throw Strata.Oci.StrataException.Precondition("SNAPSHOTTER_NOT_READY", "the snapshotter is not initialized"),
        Content, ImageWriter, LayerDiffer, Options.Runtime);

    /// <summary>Networks: create/list/inspect/remove/prune, connect/disconnect (typed requests, for the CLI, the Engine API and compose).</summary>
    public Strata.Runtime.Network.NetworkManager Networks => Containers.Networks;

    private void InitializeContainers() => ImageUsageChecks.Add(new ContainerImageUsageCheck(Containers));
}
