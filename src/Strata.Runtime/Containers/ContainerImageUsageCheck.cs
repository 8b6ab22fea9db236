using Strata.Oci;
using Strata.Storage.Images;

namespace Strata.Runtime.Containers;

/// <summary>Tells <c>rmi</c> which containers use an image (docker refuses to remove it, or untags only with -f).</summary>
public sealed class ContainerImageUsageCheck : IImageUsageCheck
{
    private readonly ContainerManager _containers;

    public ContainerImageUsageCheck(ContainerManager containers) => _containers = containers;

    public Task<IReadOnlyList<ImageUser>> UsersAsync(Digest imageId, CancellationToken cancellationToken = default) =>
        _containers.ImageUsersAsync(imageId, cancellationToken);
}
