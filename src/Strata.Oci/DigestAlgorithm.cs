namespace Strata.Oci;

/// <summary>Digest algorithms registered by the OCI image spec (descriptor.md, "Registered algorithms").</summary>
public enum DigestAlgorithm
{
    Sha256,
    Sha512,
}
