using Strata.Oci;
using Strata.Registry.Auth;
using Strata.Registry.Metadata;
using Strata.Registry.Ui;
using Strata.Registry.Blobs;

namespace Strata.Registry.Server;

/// <summary>The web UI's view of the registry: the same database, content store and access rules as the API.</summary>
public sealed class RegistryUiData : IRegistryUiData
{
    private readonly RegistryMetadata _store;
    private readonly IRegistryBlobStore _content;
    private readonly Authenticator _auth;

    public RegistryUiData(RegistryMetadata store, IRegistryBlobStore content, Authenticator auth)
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
        var names = (await _store.Catalog.SearchRepositoriesAsync(filter, cancellationToken).ConfigureAwait(false))
            .Where(n => _auth.Policy.IsAllowed(principal, n, RegistryAction.Pull)).ToList();
        var page = names.Skip(Math.Max(0, offset)).Take(Math.Max(0, limit)).ToList();
        var infos = await _store.Catalog.RepositoryInfosAsync(page, cancellationToken).ConfigureAwait(false);
        return new UiRepositoryPage([.. infos.Select(i => new UiRepository(i.Name, i.TagCount, i.Size, i.LastPush))], names.Count);
    }

    public async Task<IReadOnlyList<UiTag>> ListTagsAsync(string repository, CancellationToken cancellationToken) =>
        [.. (await _store.Catalog.TagInfosAsync(repository, cancellationToken).ConfigureAwait(false))
            .Select(t => new UiTag(t.Name, t.Digest, t.MediaType, t.TotalSize, t.Pushed, t.Platforms.Count == 0 ? null : t.Platforms))];

    public async Task<UiManifest?> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        var m = await _store.Manifests.GetManifestAsync(repository, reference, cancellationToken).ConfigureAwait(false);
        if (m is null)
        {
            return null;
        }

        await using var stream = await _content.OpenReadAsync(m.Digest, 0, m.Size, cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        var bytes = buffer.ToArray();
        return new UiManifest(m.Digest.ToString(), m.MediaType, bytes);
    }

    public async Task<Stream?> OpenBlobAsync(Digest digest, CancellationToken cancellationToken) =>
        await _content.SizeAsync(digest, cancellationToken).ConfigureAwait(false) is null
            ? null
            : await _content.OpenReadAsync(digest, 0, null, cancellationToken).ConfigureAwait(false);

    public Task<IReadOnlyList<Descriptor>> ListReferrersAsync(string repository, Digest digest, CancellationToken cancellationToken) =>
        _store.Manifests.ListReferrersAsync(repository, digest, null, cancellationToken);

    public async Task DeleteTagAsync(string repository, string tag, CancellationToken cancellationToken)
    {
        if (!await _store.Manifests.DeleteTagAsync(repository, tag, cancellationToken).ConfigureAwait(false))
        {
            throw StrataException.NotFound("TAG_UNKNOWN", $"tag {repository}:{tag} not found");
        }
    }

    public async Task DeleteManifestAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        if (!await _store.Manifests.DeleteManifestAsync(repository, digest, cancellationToken).ConfigureAwait(false))
        {
            throw RegistryErrors.ManifestNotFound($"{repository}@{digest}");
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
