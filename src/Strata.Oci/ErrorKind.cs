namespace Strata.Oci;

/// <summary>
/// The closed set of failure classes (after containerd's errdefs). Callers branch on the kind,
/// never on the message; the CLI maps a kind to an exit code.
/// </summary>
public enum ErrorKind
{
    Unknown = 0,
    NotFound,
    AlreadyExists,
    InvalidArgument,
    FailedPrecondition,
    Unauthenticated,
    Denied,
    Unavailable,
    DataLoss,
    Conflict,
    Cancelled,
}
