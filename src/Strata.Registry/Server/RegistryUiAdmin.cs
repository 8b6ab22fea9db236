using Strata.Oci;
using Strata.Registry.Auth;
using Strata.Registry.Maintenance;
using Strata.Registry.Metadata;
using Strata.Registry.Ui;
using Strata.Registry.Blobs;

namespace Strata.Registry.Server;

/// <summary>The UI's admin page over the registry's database, access policy and garbage collector.</summary>
public sealed class RegistryUiAdmin : IRegistryUiAdmin
{
    private readonly RegistryMetadata _store;
    private readonly IRegistryBlobStore _content;
    private readonly AccessPolicy _policy;
    private readonly GcOptions _gc;

    public RegistryUiAdmin(RegistryMetadata store, IRegistryBlobStore content, AccessPolicy policy, GcOptions gc)
    {
        _store = store;
        _content = content;
        _policy = policy;
        _gc = gc;
    }

    public async Task<bool> IsAdminAsync(string user, CancellationToken cancellationToken)
    {
        await _policy.RefreshAsync(cancellationToken).ConfigureAwait(false);
        return _policy.FindUser(user)?.Admin == true;
    }

    public async Task<IReadOnlyList<UiUserInfo>> ListUsersAsync(CancellationToken cancellationToken) =>
        [.. (await _store.Access.ListUsersAsync(cancellationToken).ConfigureAwait(false)).Select(u => new UiUserInfo(u.Name, u.Admin, u.Groups, u.Created))];

    public async Task AddUserAsync(string name, string password, bool admin, IReadOnlyList<string> groups, CancellationToken cancellationToken)
    {
        Passwords.CheckUserName(name);
        foreach (var g in groups)
        {
            Passwords.CheckUserName(g);
        }

        await _store.Access.SaveUserAsync(name, Passwords.Hash(password), admin, groups, replace: false, cancellationToken).ConfigureAwait(false);
        await _policy.RefreshAsync(cancellationToken, force: true).ConfigureAwait(false);
    }

    public async Task SetPasswordAsync(string name, string password, CancellationToken cancellationToken)
    {
        var user = await _store.Access.GetUserAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw StrataException.NotFound("USER_UNKNOWN", $"no such user: {name}");
        await _store.Access.SaveUserAsync(name, Passwords.Hash(password), user.Admin, user.Groups, replace: true, cancellationToken).ConfigureAwait(false);
        await _policy.RefreshAsync(cancellationToken, force: true).ConfigureAwait(false);
    }

    public async Task RemoveUserAsync(string name, CancellationToken cancellationToken)
    {
        if (!await _store.Access.RemoveUserAsync(name, cancellationToken).ConfigureAwait(false))
        {
            throw StrataException.NotFound("USER_UNKNOWN", $"no such user: {name}");
        }

        await _policy.RefreshAsync(cancellationToken, force: true).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<UiRule>> ListRulesAsync(CancellationToken cancellationToken) =>
        [.. (await _store.Access.ListRulesAsync(cancellationToken).ConfigureAwait(false)).Select(r => new UiRule(r.Subject, r.Pattern, r.Actions))];

    public async Task GrantAsync(string subject, string pattern, IReadOnlyList<string> actions, CancellationToken cancellationToken)
    {
        AccessSubject.Check(subject);
        AccessSubject.CheckPattern(pattern);
        var list = RegistryAction.ParseList(string.Join(',', actions));
        if (list.Count == 0)
        {
            throw StrataException.Invalid("ACTION_INVALID", "choose at least one of pull, push, delete");
        }

        await _store.Access.GrantAsync(subject, pattern, list, cancellationToken).ConfigureAwait(false);
        await _policy.RefreshAsync(cancellationToken, force: true).ConfigureAwait(false);
    }

    public async Task RevokeAsync(string subject, string pattern, CancellationToken cancellationToken)
    {
        if (!await _store.Access.RevokeAsync(subject, pattern, [], cancellationToken).ConfigureAwait(false))
        {
            throw StrataException.NotFound("RULE_UNKNOWN", $"no rule for {subject} on {pattern}");
        }

        await _policy.RefreshAsync(cancellationToken, force: true).ConfigureAwait(false);
    }

    public async Task<UiGcReport> CollectGarbageAsync(bool dryRun, CancellationToken cancellationToken)
    {
        var r = await new GarbageCollector(_store, _content).RunAsync(_gc with { DryRun = dryRun }, cancellationToken).ConfigureAwait(false);
        return new UiGcReport(r.DryRun, r.BlobsDeleted.Count, r.BytesFreed, r.ManifestsDeleted.Count, r.TagsDeleted.Count, r.UploadsCancelled,
            r.Elapsed.TotalMilliseconds, [.. r.TagsDeleted.Select(t => "tag " + t), .. r.ManifestsDeleted.Select(m => "manifest " + m), .. r.BlobsDeleted.Select(b => "blob " + b)]);
    }

    public async Task<IReadOnlyList<UiUsage>> UsageAsync(string? repository, CancellationToken cancellationToken)
    {
        var names = repository is null ? await _store.Catalog.SearchRepositoriesAsync(null, cancellationToken).ConfigureAwait(false) : [repository];
        var list = new List<UiUsage>(names.Count);
        foreach (var name in names)
        {
            list.Add(new UiUsage(name, await _store.Blobs.RepositoryUsageAsync(name, cancellationToken).ConfigureAwait(false),
                await _store.Access.QuotaForAsync(name, cancellationToken).ConfigureAwait(false)));
        }

        return list;
    }
}
