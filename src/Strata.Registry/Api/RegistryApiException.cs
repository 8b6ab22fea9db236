namespace Strata.Registry.Api;

/// <summary>
/// An error the distribution API reports to the client: an HTTP status and one of the spec's error
/// codes (BLOB_UNKNOWN, MANIFEST_INVALID, NAME_UNKNOWN, DENIED...), rendered as <c>{"errors":[...]}</c>.
/// </summary>
public sealed class RegistryApiException : Exception
{
    public RegistryApiException(int status, string code, string message, string? detail = null)
        : base(message)
    {
        Status = status;
        Code = code;
        Detail = detail;
    }

    public RegistryApiException() : this(500, DistributionErrorCodes.Unknown, "unknown error") { }

    public RegistryApiException(string message) : this(500, DistributionErrorCodes.Unknown, message) { }

    public RegistryApiException(string message, Exception innerException) : base(message, innerException)
    {
        Status = 500;
        Code = DistributionErrorCodes.Unknown;
    }

    public int Status { get; }

    public string Code { get; }

    public string? Detail { get; }

    public static RegistryApiException BlobUnknown(string digest) => new(404, DistributionErrorCodes.BlobUnknown, "blob unknown to registry", digest);

    public static RegistryApiException ManifestUnknown(string reference) => new(404, DistributionErrorCodes.ManifestUnknown, "manifest unknown", reference);

    public static RegistryApiException NameUnknown(string name) => new(404, DistributionErrorCodes.NameUnknown, "repository name not known to registry", name);

    public static RegistryApiException NameInvalid(string name) => new(400, DistributionErrorCodes.NameInvalid, "invalid repository name", name);

    public static RegistryApiException DigestInvalid(string message, string? detail = null) => new(400, DistributionErrorCodes.DigestInvalid, message, detail);

    public static RegistryApiException ManifestInvalid(string message) => new(400, DistributionErrorCodes.ManifestInvalid, message);

    public static RegistryApiException UploadUnknown(string id) => new(404, DistributionErrorCodes.BlobUploadUnknown, "blob upload unknown to registry", id);

    public static RegistryApiException Unsupported(string message) => new(405, DistributionErrorCodes.Unsupported, message);

    public static RegistryApiException Denied(string message) => new(403, DistributionErrorCodes.Denied, message);
}
