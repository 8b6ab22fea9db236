namespace Strata.Storage.Images.Archives;

/// <summary>What <c>save</c> writes.</summary>
public enum ArchiveFormat
{
    /// <summary>docker-archive: manifest.json + repositories, with an OCI layout inside (as docker 25+ writes).</summary>
    DockerArchive,

    /// <summary>oci-archive: an OCI image layout (oci-layout, index.json, blobs) in a tar; manifests in OCI media types.</summary>
    OciArchive,
}
