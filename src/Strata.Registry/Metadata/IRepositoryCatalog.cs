using Strata.Oci;

namespace Strata.Registry.Metadata;

/// <summary>Listings for the catalog, tag lists and the web UI, from the metadata store only.</summary>
public interface IRepositoryCatalog
{
    Task<bool> RepositoryExistsAsync(string repo, CancellationToken cancellationToken);

    /// <summary>Tags in lexical order after <paramref name="last"/>, at most <paramref name="n"/> (all when null).</summary>
    Task<IReadOnlyList<string>> ListTagNamesAsync(string repo, int? n, string? last, CancellationToken cancellationToken);

    /// <summary>Repositories that hold at least one manifest, in lexical order after <paramref name="last"/>.</summary>
    Task<IReadOnlyList<string>> ListRepositoryNamesAsync(int? n, string? last, Func<string, bool> visible, CancellationToken cancellationToken);

    /// <summary>Names of repositories holding manifests whose name contains <paramref name="filter"/>, in order.</summary>
    Task<IReadOnlyList<string>> SearchRepositoriesAsync(string? filter, CancellationToken cancellationToken);

    /// <summary>Tag count, stored bytes and last push of each named repository.</summary>
    Task<IReadOnlyList<RepositoryInfo>> RepositoryInfosAsync(IReadOnlyList<string> names, CancellationToken cancellationToken);

    /// <summary>Tags of a repository with their manifest's type, total size, platforms and push time.</summary>
    Task<IReadOnlyList<TagInfo>> TagInfosAsync(string repo, CancellationToken cancellationToken);

    /// <summary>Every manifest a repository holds, oldest first (children of an index before the index when pushed in order).</summary>
    Task<IReadOnlyList<StoredManifest>> ListManifestsAsync(string repo, CancellationToken cancellationToken);

    /// <summary>Every blob linked into a repository, with its size.</summary>
    Task<IReadOnlyList<(Digest Digest, long Size)>> ListLinkedBlobsAsync(string repo, CancellationToken cancellationToken);
}
