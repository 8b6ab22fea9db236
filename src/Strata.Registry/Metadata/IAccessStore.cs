namespace Strata.Registry.Metadata;

/// <summary>Users, access rules and quotas.</summary>
public interface IAccessStore
{
    Task<IReadOnlyList<RegistryUser>> ListUsersAsync(CancellationToken cancellationToken);

    Task<RegistryUser?> GetUserAsync(string name, CancellationToken cancellationToken);

    Task<bool> HasUsersAsync(CancellationToken cancellationToken);

    /// <summary>Adds a user, or with <paramref name="replace"/> updates one; USER_EXISTS when the name is taken.</summary>
    Task SaveUserAsync(string name, string hash, bool admin, IReadOnlyList<string> groups, bool replace, CancellationToken cancellationToken);

    Task<bool> RemoveUserAsync(string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<AccessRule>> ListRulesAsync(CancellationToken cancellationToken);

    /// <summary>Grants actions (merged with what the subject already has on the pattern).</summary>
    Task GrantAsync(string subject, string pattern, IReadOnlyList<string> actions, CancellationToken cancellationToken);

    /// <summary>Revokes actions (all when empty); returns false when there was no such rule.</summary>
    Task<bool> RevokeAsync(string subject, string pattern, IReadOnlyList<string> actions, CancellationToken cancellationToken);

    Task<IReadOnlyList<RepositoryQuota>> ListQuotasAsync(CancellationToken cancellationToken);

    /// <summary>Sets a quota; <paramref name="bytes"/> null removes it.</summary>
    Task SetQuotaAsync(string pattern, long? bytes, CancellationToken cancellationToken);

    /// <summary>The smallest quota whose pattern matches <paramref name="repo"/>, or null when unlimited.</summary>
    Task<long?> QuotaForAsync(string repo, CancellationToken cancellationToken);
}
