using Strata.Registry.Metadata;

namespace Strata.Registry.Auth;

/// <summary>
/// Decides what a caller may do on a repository. A registry without users is open (as
/// <c>docker run registry</c>). With users: admins may do everything; rules grant actions to
/// <c>user:NAME</c>, <c>group:NAME</c>, <c>authenticated</c> or <c>anonymous</c> on repository
/// patterns; with no rules at all every signed-in user may do everything (a small team's registry);
/// <c>--anonymous-pull</c> lets anyone pull. Users and rules are re-read every few seconds, so
/// <c>strata registry user add</c> on a running registry takes effect without a restart.
/// </summary>
public sealed class AccessPolicy
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(2);
    private readonly RegistryMetadata _store;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private Snapshot _snapshot = new(new Dictionary<string, RegistryUser>(), [], DateTimeOffset.MinValue);

    public AccessPolicy(RegistryMetadata store, bool anonymousPull)
    {
        _store = store;
        AnonymousPull = anonymousPull;
    }

    public bool AnonymousPull { get; }

    /// <summary>True once the registry has at least one user.</summary>
    public bool AuthEnabled => _snapshot.Users.Count > 0;

    public async Task RefreshAsync(CancellationToken cancellationToken, bool force = false)
    {
        if (!force && _store.Time.GetUtcNow() - _snapshot.LoadedAt < RefreshEvery)
        {
            return;
        }

        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!force && _store.Time.GetUtcNow() - _snapshot.LoadedAt < RefreshEvery)
            {
                return;
            }

            var users = await _store.Access.ListUsersAsync(cancellationToken).ConfigureAwait(false);
            var rules = await _store.Access.ListRulesAsync(cancellationToken).ConfigureAwait(false);
            _snapshot = new Snapshot(users.ToDictionary(u => u.Name, StringComparer.Ordinal), rules, _store.Time.GetUtcNow());
        }
        finally
        {
            _refresh.Release();
        }
    }

    public RegistryUser? FindUser(string name) => _snapshot.Users.GetValueOrDefault(name);

    /// <summary>The actions <paramref name="principal"/> (null = anonymous) has on <paramref name="repository"/>.</summary>
    public IReadOnlySet<string> ActionsFor(Principal? principal, string repository)
    {
        var granted = GrantedByRules(principal, repository);
        if (principal?.TokenAccess is { } token)
        {
            var carried = token.TryGetValue(repository, out var a) ? a : [];
            granted.IntersectWith(carried);
        }

        return granted;
    }

    public bool IsAllowed(Principal? principal, string repository, string action) => ActionsFor(principal, repository).Contains(action);

    /// <summary>What rules alone grant (tokens are issued from this).</summary>
    public HashSet<string> GrantedByRules(Principal? principal, string repository)
    {
        var s = _snapshot;
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (s.Users.Count == 0 || principal is { Admin: true })
        {
            set.UnionWith(RegistryAction.All);
            return set;
        }

        if (principal is not null && s.Rules.Count == 0)
        {
            set.UnionWith(RegistryAction.All);
        }

        if (AnonymousPull)
        {
            set.Add(RegistryAction.Pull);
        }

        foreach (var r in s.Rules)
        {
            var applies = r.Subject switch
            {
                "anonymous" => true,
                "authenticated" => principal is not null,
                _ when r.Subject.StartsWith("user:", StringComparison.Ordinal) => principal?.Name == r.Subject[5..],
                _ when r.Subject.StartsWith("group:", StringComparison.Ordinal) => principal?.Groups.Contains(r.Subject[6..]) == true,
                _ => false,
            };
            if (applies && RepositoryPattern.Matches(r.Pattern, repository))
            {
                set.UnionWith(r.Actions);
            }
        }

        return set;
    }

    private sealed record Snapshot(IReadOnlyDictionary<string, RegistryUser> Users, IReadOnlyList<AccessRule> Rules, DateTimeOffset LoadedAt);
}
