namespace Strata.Registry.Ui;

/// <summary>
/// Administration and maintenance behind the UI's admin page: users, access rules, garbage
/// collection and storage usage. Only signed-in administrators reach it (checked on every call,
/// so revoking admin takes effect at once); state changes need the session's CSRF token.
/// </summary>
public interface IRegistryUiAdmin
{
    Task<bool> IsAdminAsync(string user, CancellationToken cancellationToken);

    Task<IReadOnlyList<UiUserInfo>> ListUsersAsync(CancellationToken cancellationToken);

    Task AddUserAsync(string name, string password, bool admin, IReadOnlyList<string> groups, CancellationToken cancellationToken);

    Task SetPasswordAsync(string name, string password, CancellationToken cancellationToken);

    Task RemoveUserAsync(string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<UiRule>> ListRulesAsync(CancellationToken cancellationToken);

    Task GrantAsync(string subject, string pattern, IReadOnlyList<string> actions, CancellationToken cancellationToken);

    Task RevokeAsync(string subject, string pattern, CancellationToken cancellationToken);

    /// <summary>Runs garbage collection (or a dry run) and says what it freed (or would free).</summary>
    Task<UiGcReport> CollectGarbageAsync(bool dryRun, CancellationToken cancellationToken);

    /// <summary>Stored bytes per repository against its quota (null = unlimited).</summary>
    Task<IReadOnlyList<UiUsage>> UsageAsync(string? repository, CancellationToken cancellationToken);
}
