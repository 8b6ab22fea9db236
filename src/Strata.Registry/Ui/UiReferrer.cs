namespace Strata.Registry.Ui;

/// <summary>A manifest that refers to an image (signature, SBOM, attestation).</summary>
public sealed record UiReferrer(string MediaType, string Digest, long Size, string? ArtifactType);
