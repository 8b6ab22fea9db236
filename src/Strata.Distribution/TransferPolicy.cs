using Strata.Distribution.Transport;

namespace Strata.Distribution;

/// <summary>
/// How pulls and pushes use the protocol, kept apart from it: parallelism, upload chunking, cross-repository
/// mounts, retries. The defaults suit a registry on a fast network; docker uses 3 downloads and 5 uploads.
/// </summary>
public sealed record TransferPolicy
{
    public int MaxConcurrentDownloads { get; init; } = 4;

    public int MaxConcurrentUploads { get; init; } = 4;

    /// <summary>Blobs up to this size go in one <c>PUT ?digest=</c> after the POST (configs, small layers).</summary>
    public long MonolithicMaxSize { get; init; } = 1 << 20;

    /// <summary>
    /// Bytes per PATCH for larger blobs. Null streams the rest of the blob in one PATCH (what docker does):
    /// fewest round trips; a broken connection still resumes from the offset the registry reports.
    /// </summary>
    public long? ChunkSize { get; init; }

    /// <summary>Try <c>?mount=&amp;from=</c> for blobs known to be in another repository of the same registry.</summary>
    public bool CrossRepositoryMount { get; init; } = true;

    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;

    public static TransferPolicy Default { get; } = new();
}
