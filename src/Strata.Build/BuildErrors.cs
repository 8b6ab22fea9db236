namespace Strata.Build;

/// <summary>The builder's stable error codes (<see cref="Strata.Oci.StrataException.Code"/>).</summary>
public static class BuildErrors
{
    public const string RuntimeNotFound = "RUNTIME_NOT_FOUND";
    public const string RuntimeStart = "RUNTIME_START";
    public const string RunFailed = "BUILD_RUN_FAILED";
    public const string SecretNotFound = "BUILD_SECRET_NOT_FOUND";
    public const string SshNotFound = "BUILD_SSH_NOT_FOUND";
    public const string EntitlementDenied = "BUILD_ENTITLEMENT_DENIED";
    public const string OutputInvalid = "BUILD_OUTPUT_INVALID";
    public const string ChecksumMismatch = "BUILD_CHECKSUM_MISMATCH";
}
