using Strata.Oci;

namespace Strata.Registry.Metadata;

/// <summary>Which blobs exist and which repository may serve them (distribution's "links"), with quotas.</summary>
public interface IBlobLinkStore
{
    /// <summary>Size of a blob if <paramref name="repo"/> may serve it (linked there), else null.</summary>
    Task<long?> LinkedBlobSizeAsync(string repo, Digest digest, CancellationToken cancellationToken);

    /// <summary>Size of a blob anywhere in the registry, else null.</summary>
    Task<long?> BlobSizeAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>Records a committed blob and links it into <paramref name="repo"/>; QUOTA_EXCEEDED over the quota.</summary>
    Task LinkBlobAsync(string repo, Digest digest, long size, long? quota, CancellationToken cancellationToken);

    /// <summary>Links a blob that <paramref name="from"/> (any repository when null) holds; null when it lacks it.</summary>
    Task<long?> MountBlobAsync(string repo, string? from, Digest digest, long? quota, CancellationToken cancellationToken);

    /// <summary>Unlinks a blob from a repository (the bytes go at the next garbage collection); false when not linked.</summary>
    Task<bool> UnlinkBlobAsync(string repo, Digest digest, CancellationToken cancellationToken);

    /// <summary>Bytes of all distinct blobs linked into a repository.</summary>
    Task<long> RepositoryUsageAsync(string repo, CancellationToken cancellationToken);
}
