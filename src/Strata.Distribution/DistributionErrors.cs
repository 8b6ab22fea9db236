namespace Strata.Distribution;

/// <summary>Stable codes of the registry client and pull/push that callers branch on (a registry's own codes are in <see cref="Protocol.RegistryErrors"/>).</summary>
public static class DistributionErrors
{
    /// <summary>No connection to the registry (<see cref="Oci.ErrorKind.Unavailable"/>).</summary>
    public const string RegistryUnreachable = "REGISTRY_UNREACHABLE";

    /// <summary>The registry's TLS certificate is not trusted; never retried.</summary>
    public const string TlsUntrusted = "TLS_UNTRUSTED";

    /// <summary>A resumed download's range is not satisfiable (start over).</summary>
    public const string RangeInvalid = "RANGE_INVALID";

    public const string PlatformNotFound = "PLATFORM_NOT_FOUND";

    public const string ManifestInvalid = "MANIFEST_INVALID";

    public const string ManifestUnsupported = "MANIFEST_UNSUPPORTED";

    public const string LayerUnsupported = "LAYER_UNSUPPORTED";
}
