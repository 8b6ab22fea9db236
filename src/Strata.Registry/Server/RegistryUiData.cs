using Strata.Oci;
using Strata.Registry.Auth;
using Strata.Registry.Metadata;
using Strata.Registry.Ui;
using Strata.Storage.Content;

namespace Strata.Registry.Server;

/// <summary>The web UI's view of the registry: the same database, content store and access rules as the API.</summary>
public sealed class RegistryUiData : IRegistryUiData
{
    private readonly RegistryStore _store;
    private readonly LocalContentStore _content;
    private readonly Authenticator _auth;

    public RegistryUiData(RegistryStore store, LocalContentStore content, Authenticator auth)
    {
        _store = store;
        _content = content;
        _auth = auth;
    }

    public bool AllowsAnonymousPull => !_auth.Policy.AuthEnabled || _auth.Policy.AnonymousPull;

    public async Task<UiUser?> AuthenticateAsync(string user, string password, CancellationToken cancellationToken)
    {
        await _auth.Policy.RefreshAsync(cancellationToken).ConfigureAwait(false);
        return _auth.Verify(user, password) is { } p ? new UiUser(p.Name, p.Admin) : null;
    }

    public bool IsAllowed(UiUser? user, string repository, UiAction action) =>
        _auth.Policy.IsAllowed(ToPrincipal(user), repository, action switch
        {
            UiAction.Push => RegistryAction.Push,
            UiAction.Delete => RegistryAction.Delete,
            _ => RegistryAction.Pull,
        });

    public async Task<UiRepositoryPage> ListRepositoriesAsync(UiUser? user, string? filter, int offset, int limit, CancellationToken cancellationToken)
    {
        await _auth.Policy.RefreshAsync(cancellationToken).ConfigureAwait(false);
        var principal = ToPrincipal(user);
        var names = (await _store.SearchRepositoriesAsync(filter, cancellationToken).ConfigureAwait(false))
            .Where(n => _auth.Policy.IsAllowed(principal, n, RegistryAction.Pull)).ToList();
        var page = names.Skip(Math.Max(0, offset)).Take(Math.Max(0, limit)).ToList();
        var infos = await _store.RepositoryInfosAsync(page, cancellationToken).ConfigureAwait(false);
        return new UiRepositoryPage([.. infos.Select(i => new UiRepository(i.Name, i.TagCount, i.Size, i.LastPush))], names.Count);
    }

    public async Task<IReadOnlyList<UiTag>> ListTagsAsync(string repository, CancellationToken cancellationToken) =>
        [.. (await _store.TagInfosAsync(repository, cancellationToken).ConfigureAwait(false))
            .Select(t => new UiTag(t.Name, t.Digest, t.MediaType, t.TotalSize, t.Pushed, t.Platforms.Count == 0 ? null : t.Platforms))];

    public async Task<UiManifest?> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        var m = await _store.GetManifestAsync(repository, reference, cancellationToken).ConfigureAwait(false);
        if (m is null)
        {
            return null;
        }

        var bytes = await File.ReadAllBytesAsync(_content.BlobPath(m.Digest), cancellationToken).ConfigureAwait(false);
        return new UiManifest(m.Digest.ToString(), m.MediaType, bytes);
    }

    public async Task<Stream?> OpenBlobAsync(Digest digest, CancellationToken cancellationToken) =>
        await _content.InfoAsync(digest, cancellationToken).ConfigureAwait(false) is null
            ? null
            : await _content.OpenReadAsync(digest, cancellationToken).ConfigureAwait(false);

    public Task<IReadOnlyList<Descriptor>> ListReferrersAsync(string repository, Digest digest, CancellationToken cancellationToken) =>
        _store.ListReferrersAsync(repository, digest, null, cancellationToken);

    public async Task DeleteTagAsync(string repository, string tag, CancellationToken cancellationToken)
    {
        if (!await _store.DeleteTagAsync(repository, tag, cancellationToken).ConfigureAwait(false))
        {
            throw StrataException.NotFound("TAG_UNKNOWN", $"tag {repository}:{tag} not found");
        }
    }

    public async Task DeleteManifestAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        if (!await _store.DeleteManifestAsync(repository, digest, cancellationToken).ConfigureAwait(false))
        {
            throw StrataException.NotFound("MANIFEST_UNKNOWN", $"manifest {repository}@{digest} not found");
        }
    }

    private Principal? ToPrincipal(UiUser? user)
    {
        if (user is null)
        {
            return null;
        }

        var u = _auth.Policy.FindUser(user.Name);
        return new Principal(user.Name, u?.Admin ?? user.IsAdmin, u?.Groups ?? []);
    }
}
