using Strata.Oci;

namespace Strata.Storage.Images;

/// <summary>
/// A hook other areas implement (the runtime: containers) so <c>rmi</c> refuses to delete an image in use,
/// with docker's wording. Registered on <c>StrataEngine.ImageUsageChecks</c>.
/// </summary>
public interface IImageUsageCheck
{
    /// <summary>Who uses the image whose ID (config digest) is <paramref name="imageId"/>; empty when nobody.</summary>
    Task<IReadOnlyList<ImageUser>> UsersAsync(Digest imageId, CancellationToken cancellationToken = default);
}
