using Strata.Oci;

namespace Strata.Storage.Images;

/// <summary>
/// A layer blob already committed to the content store, as <see cref="ImageWriter"/> takes it:
/// blob digest and size as stored, its media type (gzip/zstd/plain tar), the DiffID (digest of the
/// uncompressed tar) and, when known, the uncompressed size.
/// </summary>
public sealed record LayerBlob(Digest Digest, long Size, string MediaType, Digest DiffId, long? UncompressedSize = null)
{
    public Descriptor ToDescriptor(string mediaType) => new() { MediaType = mediaType, Digest = Digest, Size = Size };
}
