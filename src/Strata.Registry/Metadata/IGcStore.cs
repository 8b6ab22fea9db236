namespace Strata.Registry.Metadata;

/// <summary>Queries and removals for garbage collection and retention, and the lock that lets one collector run at a time.</summary>
public interface IGcStore
{
    /// <summary>Tags beyond the newest <paramref name="keep"/> of each repository.</summary>
    Task<IReadOnlyList<(string Repo, string Tag)>> TagsBeyondAsync(int keep, CancellationToken cancellationToken);

    /// <summary>
    /// Manifests with no tag (or only tags in <paramref name="alsoGone"/>), older than <paramref name="before"/>,
    /// not a child of an index in the same repository and not a referrer of a manifest that is still there.
    /// </summary>
    Task<IReadOnlyList<(string Repo, string Digest)>> UntaggedManifestsAsync(DateTimeOffset before, IReadOnlyCollection<(string Repo, string Tag)> alsoGone, CancellationToken cancellationToken);

    /// <summary>Upload sessions not updated since <paramref name="before"/>.</summary>
    Task<IReadOnlyList<StoredUpload>> StaleUploadsAsync(DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>
    /// Finds blobs no manifest references and nothing touched since <paramref name="cutoff"/>; unless
    /// <paramref name="dryRun"/>, removes their rows and links in the same transaction, so a manifest
    /// push racing with the sweep either commits first (and the blob is kept) or finds it gone.
    /// </summary>
    Task<IReadOnlyList<(string Digest, long Size)>> SweepBlobsAsync(DateTimeOffset cutoff, bool dryRun, CancellationToken cancellationToken);

    /// <summary>All blob digests the metadata knows (to find stored blobs a crash left without a row).</summary>
    Task<IReadOnlySet<string>> KnownBlobsAsync(CancellationToken cancellationToken);

    /// <summary>Counts for the metrics endpoint: blobs, their bytes, repositories, uploads in progress.</summary>
    Task<(long Blobs, long Bytes, long Repositories, long Uploads)> StatsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Takes the collector lock (shared by every replica on this metadata store); null when another
    /// collector holds it and <paramref name="wait"/> is false. Dispose to release.
    /// </summary>
    Task<IAsyncDisposable?> AcquireCollectorLockAsync(bool wait, CancellationToken cancellationToken);
}
