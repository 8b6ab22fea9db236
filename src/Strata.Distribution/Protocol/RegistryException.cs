using System.Net;
using Strata.Oci;

namespace Strata.Distribution.Protocol;

/// <summary>
/// A registry answered with an error. <see cref="StrataException.Code"/> is the OCI error code from the
/// body (distribution-spec "Error Codes": <c>MANIFEST_UNKNOWN</c>, <c>DENIED</c>, ...) or, when the body
/// has none, one derived from the HTTP status (<c>HTTP_502</c>).
/// </summary>
public sealed class RegistryException : StrataException
{
    public RegistryException(ErrorKind kind, string code, string message, HttpStatusCode status, TimeSpan? retryAfter = null)
        : base(kind, code, message)
    {
        Status = status;
        RetryAfter = retryAfter;
    }

    public RegistryException() : this(ErrorKind.Unknown, "UNKNOWN", "registry error", HttpStatusCode.InternalServerError) { }

    public RegistryException(string message) : this(ErrorKind.Unknown, "UNKNOWN", message, HttpStatusCode.InternalServerError) { }

    public RegistryException(string message, Exception innerException) : base(ErrorKind.Unknown, "UNKNOWN", message, innerException) { }

    public HttpStatusCode Status { get; }

    /// <summary>What a 429 or 503 asked for in <c>Retry-After</c>.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Server errors and throttling are worth retrying; other 4xx answers will not change.</summary>
    public override bool IsTransient => (int)Status >= 500 || Status == HttpStatusCode.TooManyRequests;
}
