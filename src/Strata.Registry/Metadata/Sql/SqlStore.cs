using System.Data.Common;
using static Strata.Registry.Metadata.Sql.SqlCommands;

namespace Strata.Registry.Metadata.Sql;

/// <summary>What every SQL store shares: the database, the clock and the repository/usage helpers.</summary>
public abstract class SqlStore
{
    protected SqlStore(RegistryDatabase db, TimeProvider time)
    {
        Db = db;
        Time = time;
    }

    protected RegistryDatabase Db { get; }

    protected TimeProvider Time { get; }

    protected long Now => Time.GetUtcNow().ToUnixTimeMilliseconds();

    private protected async Task EnsureRepoAsync(DbConnection c, DbTransaction tx, string repo, CancellationToken ct) =>
        await ExecAsync(c, tx, ct, "INSERT INTO repositories (name, created_at) VALUES (@r, @n) ON CONFLICT (name) DO NOTHING", ("@r", repo), ("@n", Now)).ConfigureAwait(false);

    private protected static async Task<long> UsageAsync(DbConnection c, DbTransaction? tx, string repo, CancellationToken ct) =>
        await ScalarAsync<long?>(c, tx, ct,
            "SELECT CAST(COALESCE(SUM(b.size), 0) AS BIGINT) FROM repo_blobs rb JOIN blobs b ON b.digest = rb.digest WHERE rb.repo = @r",
            ("@r", repo)).ConfigureAwait(false) ?? 0;

    private protected static async Task<bool> IsLinkedAsync(DbConnection c, DbTransaction tx, string repo, string digest, CancellationToken ct) =>
        await ScalarAsync<long?>(c, tx, ct, "SELECT 1 FROM repo_blobs WHERE repo = @r AND digest = @d", ("@r", repo), ("@d", digest)).ConfigureAwait(false) is not null;

    /// <summary>Checks the quota for a blob about to be linked (QUOTA_EXCEEDED), then links it.</summary>
    private protected async Task LinkAsync(DbConnection c, DbTransaction tx, string repo, string digest, long size, long? quota, CancellationToken ct)
    {
        if (!await IsLinkedAsync(c, tx, repo, digest, ct).ConfigureAwait(false) && quota is { } limit)
        {
            var used = await UsageAsync(c, tx, repo, ct).ConfigureAwait(false);
            if (used + size > limit)
            {
                throw RegistryErrors.OverQuota(repo, used + size, limit);
            }
        }

        await ExecAsync(c, tx, ct,
            "INSERT INTO repo_blobs (repo, digest, linked_at) VALUES (@r, @d, @n) ON CONFLICT (repo, digest) DO UPDATE SET linked_at = @n",
            ("@r", repo), ("@d", digest), ("@n", Now)).ConfigureAwait(false);
    }
}
