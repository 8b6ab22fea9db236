using Strata.Oci;
using static Strata.Registry.Metadata.Sql.SqlCommands;

namespace Strata.Registry.Metadata.Sql;

public sealed class SqlAccessStore(RegistryDatabase db, TimeProvider time) : SqlStore(db, time), IAccessStore
{
    public Task<IReadOnlyList<RegistryUser>> ListUsersAsync(CancellationToken cancellationToken) =>
        Db.ReadAsync<IReadOnlyList<RegistryUser>>(async (c, ct) => await QueryAsync(c, null, ct,
            r => new RegistryUser(r.GetString(0), r.GetString(1), Int(r, 2) != 0, r.GetString(3).Split(',', StringSplitOptions.RemoveEmptyEntries), Time(r, 4)),
            "SELECT name, hash, admin, groups, created_at FROM users ORDER BY name").ConfigureAwait(false), cancellationToken);

    public async Task<RegistryUser?> GetUserAsync(string name, CancellationToken cancellationToken) =>
        (await ListUsersAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(u => u.Name == name);

    public Task<bool> HasUsersAsync(CancellationToken cancellationToken) =>
        Db.ReadAsync(async (c, ct) => await ScalarAsync<long?>(c, null, ct, "SELECT 1 FROM users LIMIT 1").ConfigureAwait(false) is not null, cancellationToken);

    public Task SaveUserAsync(string name, string hash, bool admin, IReadOnlyList<string> groups, bool replace, CancellationToken cancellationToken) =>
        Db.WriteAsync(async (c, tx, ct) =>
        {
            var exists = await ScalarAsync<long?>(c, tx, ct, "SELECT 1 FROM users WHERE name = @n", ("@n", name)).ConfigureAwait(false) is not null;
            if (exists && !replace)
            {
                throw StrataException.AlreadyExists(RegistryErrors.UserExists, $"user {name} already exists (use `strata registry user passwd`)");
            }

            await ExecAsync(c, tx, ct, """
                INSERT INTO users (name, hash, admin, groups, created_at) VALUES (@n, @h, @a, @g, @t)
                ON CONFLICT (name) DO UPDATE SET hash = @h, admin = @a, groups = @g
                """, ("@n", name), ("@h", hash), ("@a", admin ? 1L : 0L), ("@g", string.Join(',', groups)), ("@t", Now)).ConfigureAwait(false);
        }, cancellationToken);

    public Task<bool> RemoveUserAsync(string name, CancellationToken cancellationToken) =>
        Db.WriteAsync(async (c, tx, ct) =>
        {
            var n = await ExecAsync(c, tx, ct, "DELETE FROM users WHERE name = @n", ("@n", name)).ConfigureAwait(false);
            await ExecAsync(c, tx, ct, "DELETE FROM access_rules WHERE subject = @s", ("@s", "user:" + name)).ConfigureAwait(false);
            return n > 0;
        }, cancellationToken);

    public Task<IReadOnlyList<AccessRule>> ListRulesAsync(CancellationToken cancellationToken) =>
        Db.ReadAsync<IReadOnlyList<AccessRule>>(async (c, ct) => await QueryAsync(c, null, ct,
            r => new AccessRule(Int(r, 0), r.GetString(1), r.GetString(2), r.GetString(3).Split(',', StringSplitOptions.RemoveEmptyEntries)),
            "SELECT id, subject, pattern, actions FROM access_rules ORDER BY subject, pattern").ConfigureAwait(false), cancellationToken);

    public Task GrantAsync(string subject, string pattern, IReadOnlyList<string> actions, CancellationToken cancellationToken) =>
        Db.WriteAsync(async (c, tx, ct) =>
        {
            var existing = await ScalarAsync<string>(c, tx, ct, "SELECT actions FROM access_rules WHERE subject = @s AND pattern = @p", ("@s", subject), ("@p", pattern)).ConfigureAwait(false);
            var merged = (existing ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries).Union(actions).Order(StringComparer.Ordinal);
            await ExecAsync(c, tx, ct, "INSERT INTO access_rules (subject, pattern, actions) VALUES (@s, @p, @a) ON CONFLICT (subject, pattern) DO UPDATE SET actions = @a",
                ("@s", subject), ("@p", pattern), ("@a", string.Join(',', merged))).ConfigureAwait(false);
        }, cancellationToken);

    public Task<bool> RevokeAsync(string subject, string pattern, IReadOnlyList<string> actions, CancellationToken cancellationToken) =>
        Db.WriteAsync(async (c, tx, ct) =>
        {
            var existing = await ScalarAsync<string>(c, tx, ct, "SELECT actions FROM access_rules WHERE subject = @s AND pattern = @p", ("@s", subject), ("@p", pattern)).ConfigureAwait(false);
            if (existing is null)
            {
                return false;
            }

            var left = actions.Count == 0 ? [] : existing.Split(',', StringSplitOptions.RemoveEmptyEntries).Except(actions).ToArray();
            if (left.Length == 0)
            {
                await ExecAsync(c, tx, ct, "DELETE FROM access_rules WHERE subject = @s AND pattern = @p", ("@s", subject), ("@p", pattern)).ConfigureAwait(false);
            }
            else
            {
                await ExecAsync(c, tx, ct, "UPDATE access_rules SET actions = @a WHERE subject = @s AND pattern = @p", ("@s", subject), ("@p", pattern), ("@a", string.Join(',', left))).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken);

    public Task<IReadOnlyList<RepositoryQuota>> ListQuotasAsync(CancellationToken cancellationToken) =>
        Db.ReadAsync<IReadOnlyList<RepositoryQuota>>(async (c, ct) => await QueryAsync(c, null, ct,
            r => new RepositoryQuota(r.GetString(0), Int(r, 1)), "SELECT pattern, bytes FROM quotas ORDER BY pattern").ConfigureAwait(false), cancellationToken);

    public Task SetQuotaAsync(string pattern, long? bytes, CancellationToken cancellationToken) =>
        Db.WriteAsync((c, tx, ct) => bytes is { } b
            ? ExecAsync(c, tx, ct, "INSERT INTO quotas (pattern, bytes) VALUES (@p, @b) ON CONFLICT (pattern) DO UPDATE SET bytes = @b", ("@p", pattern), ("@b", b))
            : ExecAsync(c, tx, ct, "DELETE FROM quotas WHERE pattern = @p", ("@p", pattern)), cancellationToken);

    public async Task<long?> QuotaForAsync(string repo, CancellationToken cancellationToken)
    {
        long? best = null;
        foreach (var q in await ListQuotasAsync(cancellationToken).ConfigureAwait(false))
        {
            if (Auth.RepositoryPattern.Matches(q.Pattern, repo) && (best is null || q.Bytes < best))
            {
                best = q.Bytes;
            }
        }

        return best;
    }
}
