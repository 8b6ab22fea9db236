using Strata.Oci;

namespace Strata.Registry.Metadata;

/// <summary>
/// The registry storage's domain errors: stable codes (constants, one place) and their kinds. Storage
/// raises these; the HTTP layer (<c>DistributionApi.Map</c>) turns each into the spec's status and code.
/// </summary>
public static class RegistryErrors
{
    public const string BlobUnknown = "BLOB_UNKNOWN";
    public const string ManifestUnknown = "MANIFEST_UNKNOWN";
    public const string ManifestInvalid = "MANIFEST_INVALID";
    public const string ManifestBlobUnknown = "MANIFEST_BLOB_UNKNOWN";
    public const string QuotaExceeded = "QUOTA_EXCEEDED";
    public const string UploadUnknown = "UPLOAD_UNKNOWN";
    public const string UploadBusy = "UPLOAD_BUSY";
    public const string IngestLocked = "INGEST_LOCKED";
    public const string SizeMismatch = "SIZE_MISMATCH";
    public const string DigestMismatch = "DIGEST_MISMATCH";
    public const string UserExists = "USER_EXISTS";
    public const string MetadataUnavailable = "REGISTRY_METADATA_UNAVAILABLE";
    public const string BlobStoreUnavailable = "REGISTRY_BLOB_STORE_UNAVAILABLE";
    public const string BackendInvalid = "REGISTRY_BACKEND_INVALID";

    public static StrataException BlobNotFound(Digest digest) => StrataException.NotFound(BlobUnknown, $"blob {digest} not found");

    public static StrataException ManifestNotFound(string reference) => StrataException.NotFound(ManifestUnknown, $"manifest {reference} not found");

    public static StrataException InvalidManifest(string message, Exception? inner = null) => StrataException.Invalid(ManifestInvalid, message, inner);

    public static StrataException ManifestReferenceUnknown(string message, Digest digest) =>
        new(ErrorKind.FailedPrecondition, ManifestBlobUnknown, $"{message}: {digest}");

    public static StrataException OverQuota(string repository, long used, long limit) =>
        new(ErrorKind.FailedPrecondition, QuotaExceeded, $"repository {repository} is over its quota ({used} of {limit} bytes)");

    public static StrataException UploadNotFound(string id) => StrataException.NotFound(UploadUnknown, $"blob upload {id} unknown");

    public static StrataException UploadInUse(string id) => StrataException.Unavailable(UploadBusy, $"upload {id} is being written by another request");
}
