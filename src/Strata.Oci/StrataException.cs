namespace Strata.Oci;

/// <summary>
/// The one exception type Strata throws on purpose. <see cref="Code"/> is stable and searchable
/// (e.g. <c>DIGEST_INVALID</c>, <c>IMAGE_NOT_FOUND</c>); <see cref="Kind"/> is what callers branch on.
/// </summary>
public class StrataException : Exception
{
    public StrataException(ErrorKind kind, string code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        Code = code;
    }

    public StrataException() : this(ErrorKind.Unknown, "UNKNOWN", "unknown error") { }

    public StrataException(string message) : this(ErrorKind.Unknown, "UNKNOWN", message) { }

    public StrataException(string message, Exception innerException) : this(ErrorKind.Unknown, "UNKNOWN", message, innerException) { }

    public ErrorKind Kind { get; }

    public string Code { get; }

    /// <summary>The process exit code the CLI should return, when it is not the one its kind implies (docker run's 126/127).</summary>
    public int? ExitCode { get; init; }

    /// <summary>True when retrying the same operation may succeed.</summary>
    public virtual bool IsTransient => Kind == ErrorKind.Unavailable;

    public static StrataException NotFound(string code, string message) => new(ErrorKind.NotFound, code, message);

    public static StrataException AlreadyExists(string code, string message) => new(ErrorKind.AlreadyExists, code, message);

    public static StrataException Invalid(string code, string message, Exception? inner = null) => new(ErrorKind.InvalidArgument, code, message, inner);

    public static StrataException Precondition(string code, string message) => new(ErrorKind.FailedPrecondition, code, message);

    public static StrataException DataLoss(string code, string message) => new(ErrorKind.DataLoss, code, message);

    public static StrataException Unavailable(string code, string message, Exception? inner = null) => new(ErrorKind.Unavailable, code, message, inner);
}
