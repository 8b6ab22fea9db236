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
    /// (<c>sha256:abc..</c>, <c>abc123</c>). Throws NotFound (IMAGE_NOT_FOUND) with docker's wording
    /// (<c>No such image: X</c>) and InvalidArgument (IMAGE_AMBIGUOUS) when a short ID matches several images.
    /// </summary>
    Task<ImageRecord> ResolveAsync(string nameOrId, CancellationToken cancellationToken = default);

    Task<ImageRecord?> TryResolveAsync(string nameOrId, CancellationToken cancellationToken = default);

    IAsyncEnumerable<ImageRecord> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Records the image whose manifest (an image manifest, not an index) is <paramref name="manifestDigest"/>
    /// and points <paramref name="name"/> at it (moving the tag from any previous image). Idempotent.
    /// <paramref name="repoDigestName"/> records <c>name@digest</c> when the image came from a registry.
    /// The manifest, its config and every layer blob must already be in the content store (NotFound, BLOB_UNKNOWN).
    /// </summary>
    Task<ImageRecord> RegisterAsync(Digest manifestDigest, Reference? name, Reference? repoDigestName = null, CancellationToken cancellationToken = default);

    Task TagAsync(string source, Reference target, CancellationToken cancellationToken = default);

    /// <summary>Removes one name; returns the image if it has no names left (the image itself stays, dangling).</summary>
    Task<ImageRecord?> UntagAsync(Reference name, CancellationToken cancellationToken = default);

    /// <summary>Reads the parsed manifest and config of an image.</summary>
    Task<(ImageManifest Manifest, ImageConfig Config)> ReadAsync(ImageRecord image, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes sure every layer of the image is unpacked as a committed snapshot named by its chain ID
    /// and returns the top chain ID (the parent to Prepare a container from). Empty images return null.
    /// </summary>
    Task<string?> UnpackAsync(ImageRecord image, CancellationToken cancellationToken = default);

    /// <summary>The layers of an image, bottom first, with diff IDs and chain IDs.</summary>
    Task<IReadOnlyList<ImageLayer>> LayersAsync(ImageRecord image, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>docker rmi</c>: removes a name, or the image when its last name goes (or when given by ID), then
    /// deletes the blobs and snapshots no remaining image uses. Refuses with docker's conflict messages
    /// (Conflict, IMAGE_CONFLICT) when a short ID names several repositories or a container uses the image;
    /// <paramref name="force"/> overrides what docker lets it override.
    /// </summary>
    Task<ImageRemoval> RemoveAsync(string nameOrId, bool force = false, CancellationToken cancellationToken = default);

    /// <summary>Records the uncompressed size of a layer blob (known after import or unpack) for <c>images</c> SIZE.</summary>
    Task SetUncompressedSizeAsync(Digest layerDigest, long uncompressedSize, CancellationToken cancellationToken = default);
}
