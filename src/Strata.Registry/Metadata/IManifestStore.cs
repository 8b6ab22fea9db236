using Strata.Oci;

namespace Strata.Registry.Metadata;

/// <summary>Manifests, tags and referrers of repositories (the manifest bytes themselves are blobs).</summary>
public interface IManifestStore
{
    /// <summary>
    /// Stores a manifest (its bytes must already be a committed blob) under <paramref name="repo"/> and
    /// points <paramref name="tags"/> at it. MANIFEST_BLOB_UNKNOWN when a referenced blob is not linked
    /// into the repository or a child manifest is not there; QUOTA_EXCEEDED over the quota.
    /// </summary>
    Task PutManifestAsync(string repo, Digest digest, long size, ManifestFacts facts, IReadOnlyList<string> tags, long? quota, CancellationToken cancellationToken);

    /// <summary>A manifest by tag or digest, or null.</summary>
    Task<StoredManifest?> GetManifestAsync(string repo, string reference, CancellationToken cancellationToken);

    /// <summary>Points a tag at a manifest the repository holds.</summary>
    Task TagAsync(string repo, string tag, Digest digest, CancellationToken cancellationToken);

    /// <summary>Removes a tag; false when it did not exist.</summary>
    Task<bool> DeleteTagAsync(string repo, string tag, CancellationToken cancellationToken);

    /// <summary>Removes a manifest and every tag pointing at it; false when it did not exist.</summary>
    Task<bool> DeleteManifestAsync(string repo, Digest digest, CancellationToken cancellationToken);

    /// <summary>Manifests in <paramref name="repo"/> whose subject is <paramref name="subject"/>.</summary>
    Task<IReadOnlyList<Descriptor>> ListReferrersAsync(string repo, Digest subject, string? artifactType, CancellationToken cancellationToken);
}
