using Strata.Oci;
using Strata.Registry.Metadata;

namespace Strata.Registry.Blobs;

/// <summary>Opens the blob store a <c>--blob-store</c> value names.</summary>
public static class RegistryBlobStores
{
    /// <summary>
    /// <c>fs:DIR</c>, <c>s3://BUCKET[/prefix]</c>, or null/empty for <c>DATA_DIR/content</c>. Bad values raise REGISTRY_BACKEND_INVALID,
    /// an unusable store REGISTRY_BLOB_STORE_UNAVAILABLE.
    /// </summary>
    public static IRegistryBlobStore Open(string? spec, string dataDir, S3Settings s3, IUploadSessionStore uploads)
    {
        if (string.IsNullOrEmpty(spec))
        {
            return new FileBlobStore(Path.Combine(dataDir, "content"));
        }

        if (spec.StartsWith("fs:", StringComparison.Ordinal) && spec.Length > 3)
        {
            return new FileBlobStore(spec[3..]);
        }

        if (spec.StartsWith("s3://", StringComparison.Ordinal))
        {
            return S3BlobStore.Open(spec, s3, uploads);
        }

        throw StrataException.Invalid(RegistryErrors.BackendInvalid, $"unknown blob store {spec}: use fs:DIR or s3://BUCKET[/prefix]");
    }
}
