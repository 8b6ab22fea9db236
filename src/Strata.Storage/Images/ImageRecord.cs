using Strata.Oci;

namespace Strata.Storage.Images;

/// <summary>
/// A stored image. <see cref="Id"/> is the config digest (docker's IMAGE ID); <see cref="ManifestDigest"/>
/// is the manifest as stored (and pushed). <see cref="Names"/> are fully qualified tags
/// (<c>docker.io/library/busybox:latest</c>); <see cref="RepoDigests"/> are <c>name@digest</c> forms.
/// </summary>
public sealed record ImageRecord(
    Digest Id,
    Digest ManifestDigest,
    string ManifestMediaType,
    long Size,
    DateTimeOffset Created,
    IReadOnlyList<Reference> Names,
    IReadOnlyList<Reference> RepoDigests);
