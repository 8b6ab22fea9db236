namespace Strata.Registry.Api;

/// <summary>The distribution API endpoints (OCI Distribution Spec 1.1 end-1 ... end-13 plus the catalog).</summary>
public enum RegistryEndpoint
{
    Unknown,
    Base,
    Catalog,
    Tags,
    Manifest,
    Blob,
    UploadStart,
    Upload,
    Referrers,
}
