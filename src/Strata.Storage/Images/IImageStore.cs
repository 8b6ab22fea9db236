using Strata.Oci;

namespace Strata.Storage.Images;

/// <summary>
/// Names -> manifests (containerd images.Store), backed by the metadata database and the content store.
/// The manifest, config and layer blobs are in the content store before an image is registered.
/// </summary>
public interface IImageStore
{
    /// <summary>
    /// Finds an image by name (<c>busybox</c>, <c>busybox:1</c>, <c>name@sha256:..</c>), full or short ID
    /// (<c>sha256:abc..</c>, <c>abc123</c>). Throws NotFound (IMAGE_NOT_FOUND) with docker's wording.
    /// </summary>
    Task<ImageRecord> ResolveAsync(string nameOrId, CancellationToken cancellationToken = default);

    Task<ImageRecord?> TryResolveAsync(string nameOrId, CancellationToken cancellationToken = default);

    IAsyncEnumerable<ImageRecord> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Records the image whose manifest (an image manifest, not an index) is <paramref name="manifestDigest"/>
    /// and points <paramref name="name"/> at it (moving the tag from any previous image). Idempotent.
    /// <paramref name="repoDigestName"/> records <c>name@digest</c> when the image came from a registry.
    /// </summary>
    Task<ImageRecord> RegisterAsync(Digest manifestDigest, Reference? name, Reference? repoDigestName = null, CancellationToken cancellationToken = default);

    Task TagAsync(string source, Reference target, CancellationToken cancellationToken = default);

    /// <summary>Removes one name; returns the image if it has no names left.</summary>
    Task<ImageRecord?> UntagAsync(Reference name, CancellationToken cancellationToken = default);

    /// <summary>Reads the parsed manifest and config of an image.</summary>
    Task<(ImageManifest Manifest, ImageConfig Config)> ReadAsync(ImageRecord image, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes sure every layer of the image is unpacked as a committed snapshot named by its chain ID
    /// and returns the top chain ID (the parent to Prepare a container from). Empty images return null.
    /// </summary>
    Task<string?> UnpackAsync(ImageRecord image, CancellationToken cancellationToken = default);
}
