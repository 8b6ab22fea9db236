namespace Strata.Storage.Images;

/// <summary>The manifest/config media types an image is written with.</summary>
public enum ImageFormat
{
    /// <summary>Docker image manifest v2 schema 2 (what docker and podman-docker write by default).</summary>
    Docker,

    /// <summary>OCI image manifest 1.1.</summary>
    Oci,
}
