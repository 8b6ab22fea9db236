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

    public RegistryApiException() : this(500, "UNKNOWN", "unknown error") { }

    public RegistryApiException(string message) : this(500, "UNKNOWN", message) { }

    public RegistryApiException(string message, Exception innerException) : base(message, innerException)
    {
        Status = 500;
        Code = "UNKNOWN";
    }

    public int Status { get; }

    public string Code { get; }

    public string? Detail { get; }

    public static RegistryApiException BlobUnknown(string digest) => new(404, "BLOB_UNKNOWN", "blob unknown to registry", digest);

    public static RegistryApiException ManifestUnknown(string reference) => new(404, "MANIFEST_UNKNOWN", "manifest unknown", reference);

    public static RegistryApiException NameUnknown(string name) => new(404, "NAME_UNKNOWN", "repository name not known to registry", name);

    public static RegistryApiException NameInvalid(string name) => new(400, "NAME_INVALID", "invalid repository name", name);

    public static RegistryApiException DigestInvalid(string message, string? detail = null) => new(400, "DIGEST_INVALID", message, detail);

    public static RegistryApiException ManifestInvalid(string message) => new(400, "MANIFEST_INVALID", message);

    public static RegistryApiException UploadUnknown(string id) => new(404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry", id);

    public static RegistryApiException Unsupported(string message) => new(405, "UNSUPPORTED", message);

    public static RegistryApiException Denied(string message) => new(403, "DENIED", message);
}
