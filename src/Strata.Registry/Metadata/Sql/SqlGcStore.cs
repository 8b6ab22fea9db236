using static Strata.Registry.Metadata.Sql.SqlCommands;

namespace Strata.Registry.Metadata.Sql;

public sealed class SqlGcStore(RegistryDatabase db, TimeProvider time) : SqlStore(db, time), IGcStore
{
    public Task<IReadOnlyList<(string Repo, string Tag)>> TagsBeyondAsync(int keep, CancellationToken cancellationToken) =>
        Db.ReadAsync<IReadOnlyList<(string, string)>>(async (c, ct) => await QueryAsync(c, null, ct, r => (r.GetString(0), r.GetString(1)), """
            SELECT repo, name FROM (
              SELECT repo, name, ROW_NUMBER() OVER (PARTITION BY repo ORDER BY pushed_at DESC, name DESC) AS rn FROM tags) ranked
            WHERE rn > @k ORDER BY repo, name
            """, ("@k", (long)keep)).ConfigureAwait(false), cancellationToken);

    public Task<IReadOnlyList<(string Repo, string Digest)>> UntaggedManifestsAsync(DateTimeOffset before, IReadOnlyCollection<(string Repo, string Tag)> alsoGone, CancellationToken cancellationToken) =>
        Db.ReadAsync<IReadOnlyList<(string, string)>>(async (c, ct) =>
        {
            var rows = await QueryAsync(c, null, ct, r => (Repo: r.GetString(0), Digest: r.GetString(1), Tag: Text(r, 2)), """
                SELECT m.repo, m.digest, t.name
                FROM manifests m LEFT JOIN tags t ON t.repo = m.repo AND t.digest = m.digest
                WHERE m.created_at < @b
                  AND NOT EXISTS (SELECT 1 FROM manifest_refs r JOIN manifests p ON p.repo = r.repo AND p.digest = r.manifest
                                  WHERE r.repo = m.repo AND r.target = m.digest AND r.kind = 'manifest')
                  AND (m.subject IS NULL OR NOT EXISTS (SELECT 1 FROM manifests s WHERE s.repo = m.repo AND s.digest = m.subject))
                ORDER BY m.repo, m.digest
                """, ("@b", before.ToUnixTimeMilliseconds())).ConfigureAwait(false);
            var gone = alsoGone.ToHashSet();
            return [.. rows.GroupBy(x => (x.Repo, x.Digest))
                .Where(g => g.All(x => x.Tag is null || gone.Contains((x.Repo, x.Tag))))
                .Select(g => g.Key)];
        }, cancellationToken);

    public Task<IReadOnlyList<StoredUpload>> StaleUploadsAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        Db.ReadAsync<IReadOnlyList<StoredUpload>>(async (c, ct) => await QueryAsync(c, null, ct, SqlUploadSessionStore.Map,
            $"SELECT {SqlUploadSessionStore.Columns} FROM uploads WHERE updated_at < @b", ("@b", before.ToUnixTimeMilliseconds())).ConfigureAwait(false), cancellationToken);

    public Task<IReadOnlyList<(string Digest, long Size)>> SweepBlobsAsync(DateTimeOffset cutoff, bool dryRun, CancellationToken cancellationToken) =>
        Db.WriteAsync<IReadOnlyList<(string, long)>>(async (c, tx, ct) =>
        {
            var list = await QueryAsync(c, tx, ct, r => (r.GetString(0), Int(r, 1)), """
                SELECT b.digest, b.size FROM blobs b
                WHERE b.touched_at < @c
                  AND NOT EXISTS (SELECT 1 FROM manifest_refs r WHERE r.target = b.digest)
                  AND NOT EXISTS (SELECT 1 FROM manifests m WHERE m.digest = b.digest)
                  AND NOT EXISTS (SELECT 1 FROM repo_blobs l WHERE l.digest = b.digest AND l.linked_at >= @c)
                ORDER BY b.digest
                """, ("@c", cutoff.ToUnixTimeMilliseconds())).ConfigureAwait(false);
            if (!dryRun)
            {
                foreach (var (digest, _) in list)
                {
                    await ExecAsync(c, tx, ct, "DELETE FROM repo_blobs WHERE digest = @d", ("@d", digest)).ConfigureAwait(false);
                    await ExecAsync(c, tx, ct, "DELETE FROM blobs WHERE digest = @d", ("@d", digest)).ConfigureAwait(false);
                }
            }

            return list;
        }, cancellationToken);

    public Task<IReadOnlySet<string>> KnownBlobsAsync(CancellationToken cancellationToken) =>
        Db.ReadAsync<IReadOnlySet<string>>(async (c, ct) =>
            (await QueryAsync(c, null, ct, r => r.GetString(0), "SELECT digest FROM blobs").ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal),
            cancellationToken);

    public Task<(long Blobs, long Bytes, long Repositories, long Uploads)> StatsAsync(CancellationToken cancellationToken) =>
        Db.ReadAsync(async (c, ct) => (await QueryAsync(c, null, ct, r => (Int(r, 0), Int(r, 1), Int(r, 2), Int(r, 3)),
            "SELECT (SELECT COUNT(*) FROM blobs), (SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM blobs), (SELECT COUNT(*) FROM repositories), (SELECT COUNT(*) FROM uploads)").ConfigureAwait(false))[0],
            cancellationToken);

    public Task<IAsyncDisposable?> AcquireCollectorLockAsync(bool wait, CancellationToken cancellationToken) =>
        Db.AcquireLockAsync("gc", wait, cancellationToken);
}
