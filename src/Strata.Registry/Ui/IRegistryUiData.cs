using Strata.Oci;

namespace Strata.Registry.Ui;

/// <summary>
/// The narrow view of the registry the UI needs. The server implements it over its metadata
/// database, content store and access rules, so the UI enforces exactly the API's rules.
/// </summary>
public interface IRegistryUiData
{
    /// <summary>True when the registry allows anonymous pull; then the UI may be browsed signed out.</summary>
    bool AllowsAnonymousPull { get; }

    /// <summary>Checks a user name and password against the registry's users.</summary>
    Task<UiUser?> AuthenticateAsync(string user, string password, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="user"/> (null = anonymous) may do <paramref name="action"/> on a repository.</summary>
    bool IsAllowed(UiUser? user, string repository, UiAction action);

    /// <summary>A page of repositories visible to the user, filtered by a substring, from the metadata DB.</summary>
    Task<UiRepositoryPage> ListRepositoriesAsync(UiUser? user, string? filter, int offset, int limit, CancellationToken cancellationToken);

    /// <summary>The tags of a repository.</summary>
    Task<IReadOnlyList<UiTag>> ListTagsAsync(string repository, CancellationToken cancellationToken);

    /// <summary>A manifest by tag or digest, or null when unknown.</summary>
    Task<UiManifest?> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken);

    /// <summary>Opens a blob from the content store, or null when absent.</summary>
    Task<Stream?> OpenBlobAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>Descriptors of manifests whose subject is <paramref name="digest"/> (the referrers API).</summary>
    Task<IReadOnlyList<Descriptor>> ListReferrersAsync(string repository, Digest digest, CancellationToken cancellationToken);

    /// <summary>Removes a tag (untag).</summary>
    Task DeleteTagAsync(string repository, string tag, CancellationToken cancellationToken);

    /// <summary>Removes a manifest by digest.</summary>
    Task DeleteManifestAsync(string repository, Digest digest, CancellationToken cancellationToken);
}
