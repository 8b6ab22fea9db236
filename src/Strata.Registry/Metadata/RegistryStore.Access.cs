using Strata.Oci;

namespace Strata.Registry.Metadata;

/// <summary>Users, access rules and quotas.</summary>
public sealed partial class RegistryStore
{
    public Task<IReadOnlyList<RegistryUser>> ListUsersAsync(CancellationToken cancellationToken) =>
        Db.ReadAsync<IReadOnlyList<RegistryUser>>(async (c, ct) =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT name, hash, admin, groups, created_at FROM users ORDER BY name";
            var list = new List<RegistryUser>();
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                list.Add(new RegistryUser(r.GetString(0), r.GetString(1), r.GetInt64(2) != 0,
                    r.GetString(3).Split(',', StringSplitOptions.RemoveEmptyEntries), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4))));
            }

            return list;
        }, cancellationToken);

    public async Task<RegistryUser?> GetUserAsync(string name, CancellationToken cancellationToken) =>
        (await ListUsersAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(u => u.Name == name);

    public Task<bool> HasUsersAsync(CancellationToken cancellationToken) =>
        Db.ReadAsync(async (c, ct) => await ScalarAsync<long?>(c, null, ct, "SELECT 1 FROM users LIMIT 1").ConfigureAwait(false) is not null, cancellationToken);

    /// <summary>Adds a user, or with <paramref name="replace"/> updates one; fails when the name is taken.</summary>
    public Task SaveUserAsync(string name, string hash, bool admin, IReadOnlyList<string> groups, bool replace, CancellationToken cancellationToken) =>
        Db.WriteAsync(async (c, tx, ct) =>
        {
            var exists = await ScalarAsync<long?>(c, tx, ct, "SELECT 1 FROM users WHERE name = $n", ("$n", name)).ConfigureAwait(false) is not null;
            if (exists && !replace)
            {
                throw StrataException.AlreadyExists("USER_EXISTS", $"user {name} already exists (use `strata registry user passwd`)");
            }

            await ExecAsync(c, tx, ct, """
                INSERT INTO users (name, hash, admin, groups, created_at) VALUES ($n, $h, $a, $g, $t)
                ON CONFLICT(name) DO UPDATE SET hash = $h, admin = $a, groups = $g
                """, ("$n", name), ("$h", hash), ("$a", admin ? 1 : 0), ("$g", string.Join(',', groups)), ("$t", Now)).ConfigureAwait(false);
        }, cancellationToken);

    public Task<bool> RemoveUserAsync(string name, CancellationToken cancellationToken) =>
        Db.WriteAsync(async (c, tx, ct) =>
        {
            var n = await ExecAsync(c, tx, ct, "DELETE FROM users WHERE name = $n", ("$n", name)).ConfigureAwait(false);
            await ExecAsync(c, tx, ct, "DELETE FROM access_rules WHERE subject = $s", ("$s", "user:" + name)).ConfigureAwait(false);
            return n > 0;
        }, cancellationToken);

    public Task<IReadOnlyList<AccessRule>> ListRulesAsync(CancellationToken cancellationToken) =>
        Db.ReadAsync<IReadOnlyList<AccessRule>>(async (c, ct) =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT id, subject, pattern, actions FROM access_rules ORDER BY subject, pattern";
            var list = new List<AccessRule>();
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                list.Add(new AccessRule(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3).Split(',', StringSplitOptions.RemoveEmptyEntries)));
            }

            return list;
        }, cancellationToken);

    /// <summary>Grants actions (merged with what the subject already has on the pattern).</summary>
    public Task GrantAsync(string subject, string pattern, IReadOnlyList<string> actions, CancellationToken cancellationToken) =>
        Db.WriteAsync(async (c, tx, ct) =>
        {
            var existing = await ScalarAsync<string>(c, tx, ct, "SELECT actions FROM access_rules WHERE subject = $s AND pattern = $p", ("$s", subject), ("$p", pattern)).ConfigureAwait(false);
            var merged = (existing ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries).Union(actions).Order(StringComparer.Ordinal);
            await ExecAsync(c, tx, ct, "INSERT INTO access_rules (subject, pattern, actions) VALUES ($s, $p, $a) ON CONFLICT(subject, pattern) DO UPDATE SET actions = $a",
                ("$s", subject), ("$p", pattern), ("$a", string.Join(',', merged))).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Revokes actions (all when empty); returns false when there was no such rule.</summary>
    public Task<bool> RevokeAsync(string subject, string pattern, IReadOnlyList<string> actions, CancellationToken cancellationToken) =>
        Db.WriteAsync(async (c, tx, ct) =>
        {
            var existing = await ScalarAsync<string>(c, tx, ct, "SELECT actions FROM access_rules WHERE subject = $s AND pattern = $p", ("$s", subject), ("$p", pattern)).ConfigureAwait(false);
            if (existing is null)
            {
                return false;
            }

            var left = actions.Count == 0 ? [] : existing.Split(',', StringSplitOptions.RemoveEmptyEntries).Except(actions).ToArray();
            if (left.Length == 0)
            {
                await ExecAsync(c, tx, ct, "DELETE FROM access_rules WHERE subject = $s AND pattern = $p", ("$s", subject), ("$p", pattern)).ConfigureAwait(false);
            }
            else
            {
                await ExecAsync(c, tx, ct, "UPDATE access_rules SET actions = $a WHERE subject = $s AND pattern = $p", ("$s", subject), ("$p", pattern), ("$a", string.Join(',', left))).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken);

    public Task<IReadOnlyList<RepositoryQuota>> ListQuotasAsync(CancellationToken cancellationToken) =>
        Db.ReadAsync<IReadOnlyList<RepositoryQuota>>(async (c, ct) =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT pattern, bytes FROM quotas ORDER BY pattern";
            var list = new List<RepositoryQuota>();
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                list.Add(new RepositoryQuota(r.GetString(0), r.GetInt64(1)));
            }

            return list;
        }, cancellationToken);

    /// <summary>Sets a quota; <paramref name="bytes"/> null removes it.</summary>
    public Task SetQuotaAsync(string pattern, long? bytes, CancellationToken cancellationToken) =>
        Db.WriteAsync(async (c, tx, ct) =>
        {
            if (bytes is { } b)
            {
                await ExecAsync(c, tx, ct, "INSERT INTO quotas (pattern, bytes) VALUES ($p, $b) ON CONFLICT(pattern) DO UPDATE SET bytes = $b", ("$p", pattern), ("$b", b)).ConfigureAwait(false);
            }
            else
            {
                await ExecAsync(c, tx, ct, "DELETE FROM quotas WHERE pattern = $p", ("$p", pattern)).ConfigureAwait(false);
            }
        }, cancellationToken);

    /// <summary>The smallest quota whose pattern matches <paramref name="repo"/>, or null when unlimited.</summary>
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
