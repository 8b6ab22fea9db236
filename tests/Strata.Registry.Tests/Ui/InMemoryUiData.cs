using Strata.Oci;
using Strata.Registry.Ui;

namespace Strata.Registry.Tests.Ui;

/// <summary>
/// A small in-memory registry for exercising the UI handlers over real HTTP until the server's
/// metadata-backed implementation lands (the Chromium end-to-end test uses the real server).
/// </summary>
internal sealed class InMemoryUiData : IRegistryUiData
{
    public bool AllowsAnonymousPull { get; set; }

    public Dictionary<string, (string Password, bool Admin, bool CanDelete)> Users { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Dictionary<string, UiManifest>> Tags { get; } = new(StringComparer.Ordinal);

    public Dictionary<Digest, byte[]> Blobs { get; } = [];

    public Task<UiUser?> AuthenticateAsync(string user, string password, CancellationToken cancellationToken) =>
        Task.FromResult(Users.TryGetValue(user, out var u) && u.Password == password ? new UiUser(user, u.Admin) : null);

    public bool IsAllowed(UiUser? user, string repository, UiAction action) => action switch
    {
        UiAction.Pull => user is not null || AllowsAnonymousPull,
        _ => user is not null && Users[user.Name].CanDelete,
    };

    public Task<UiRepositoryPage> ListRepositoriesAsync(UiUser? user, string? filter, int offset, int limit, CancellationToken cancellationToken)
    {
        var all = Tags.Keys.Where(k => filter is null || k.Contains(filter, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        var page = all.Skip(offset).Take(limit)
            .Select(n => new UiRepository(n, Tags[n].Count, Tags[n].Values.Sum(m => (long)m.Bytes.Length), null))
            .ToList();
        return Task.FromResult(new UiRepositoryPage(page, all.Count));
    }

    public Task<IReadOnlyList<UiTag>> ListTagsAsync(string repository, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<UiTag>>(Tags.TryGetValue(repository, out var t)
            ? [.. t.Select(kv => new UiTag(kv.Key, kv.Value.Digest, kv.Value.MediaType, kv.Value.Bytes.Length, DateTimeOffset.UnixEpoch.AddYears(56), ["linux/amd64"]))]
            : []);

    public Task<UiManifest?> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        if (!Tags.TryGetValue(repository, out var t))
        {
            return Task.FromResult<UiManifest?>(null);
        }

        return Task.FromResult(t.TryGetValue(reference, out var m) ? m : t.Values.FirstOrDefault(x => x.Digest == reference));
    }

    public Task<Stream?> OpenBlobAsync(Digest digest, CancellationToken cancellationToken) =>
        Task.FromResult<Stream?>(Blobs.TryGetValue(digest, out var b) ? new MemoryStream(b) : null);

    public Task<IReadOnlyList<Descriptor>> ListReferrersAsync(string repository, Digest digest, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Descriptor>>([]);

    public Task DeleteTagAsync(string repository, string tag, CancellationToken cancellationToken)
    {
        if (!Tags.TryGetValue(repository, out var t) || !t.Remove(tag))
        {
            throw StrataException.NotFound("MANIFEST_UNKNOWN", "tag unknown");
        }

        return Task.CompletedTask;
    }

    public Task DeleteManifestAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        if (!Tags.TryGetValue(repository, out var t))
        {
            throw StrataException.NotFound("MANIFEST_UNKNOWN", "manifest unknown");
        }

        foreach (var key in t.Where(kv => kv.Value.Digest == digest.ToString()).Select(kv => kv.Key).ToList())
        {
            t.Remove(key);
        }

        return Task.CompletedTask;
    }
}
