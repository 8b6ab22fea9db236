namespace Strata.Registry.Metadata;

/// <summary>Queries and removals for garbage collection and retention.</summary>
public sealed partial class RegistryStore
{
    /// <summary>Tags beyond the newest <paramref name="keep"/> of each repository ("repo:tag").</summary>
    public Task<IReadOnlyList<(string Repo, string Tag)>> TagsBeyondAsync(int keep, CancellationToken cancellationToken) =>
        Db.ReadAsync<IReadOnlyList<(string, string)>>(async (c, ct) =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = """
                SELECT repo, name FROM (
                  SELECT repo, name, ROW_NUMBER() OVER (PARTITION BY repo ORDER BY pushed_at DESC, name DESC) AS rn FROM tags)
                WHERE rn > $k ORDER BY repo, name
                """;
            cmd.Parameters.AddWithValue("$k", keep);
            var list = new List<(string, string)>();
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                list.Add((r.GetString(0), r.GetString(1)));
            }

            return list;
        }, cancellationToken);

    /// <summary>
    /// Manifests with no tag, older than <paramref name="before"/>, not a child of an index in the same
    /// repository and not a referrer of a manifest that is still there.
    /// </summary>
    public Task<IReadOnlyList<(string Repo, string Digest)>> UntaggedManifestsAsync(DateTimeOffset before, IReadOnlyCollection<(string Repo, string Tag)> alsoGone, CancellationToken cancellationToken) =>
        Db.ReadAsync<IReadOnlyList<(string, string)>>(async (c, ct) =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = """
                SELECT m.repo, m.digest, (SELECT group_concat(t.name, char(10)) FROM tags t WHERE t.repo = m.repo AND t.digest = m.digest)
                FROM manifests m
                WHERE m.created_at < $b
                  AND NOT EXISTS (SELECT 1 FROM manifest_refs r JOIN manifests p ON p.repo = r.repo AND p.digest = r.manifest
                                  WHERE r.repo = m.repo AND r.target = m.digest AND r.kind = 'manifest')
                  AND (m.subject IS NULL OR NOT EXISTS (SELECT 1 FROM manifests s WHERE s.repo = m.repo AND s.digest = m.subject))
                ORDER BY m.repo, m.digest
                """;
            cmd.Parameters.AddWithValue("$b", before.ToUnixTimeMilliseconds());
            var gone = alsoGone.ToHashSet();
            var list = new List<(string, string)>();
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                var repo = r.GetString(0);
                var tags = r.IsDBNull(2) ? [] : r.GetString(2).Split('\n');
                if (tags.All(t => gone.Contains((repo, t))))
                {
                    list.Add((repo, r.GetString(1)));
                }
            }

            return list;
        }, cancellationToken);

    /// <summary>Upload sessions started before <paramref name="before"/>.</summary>
    public Task<IReadOnlyList<string>> StaleUploadsAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        Db.ReadAsync<IReadOnlyList<string>>(async (c, ct) =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT id FROM uploads WHERE started_at < $b";
            cmd.Parameters.AddWithValue("$b", before.ToUnixTimeMilliseconds());
            var list = new List<string>();
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                list.Add(r.GetString(0));
            }

            return list;
        }, cancellationToken);

    /// <summary>
    /// Finds blobs no manifest references and nothing touched since <paramref name="cutoff"/>; unless
    /// <paramref name="dryRun"/>, removes their rows and links in the same transaction, so a manifest
    /// push racing with the sweep either commits first (and the blob is kept) or finds it gone.
    /// </summary>
    public Task<IReadOnlyList<(string Digest, long Size)>> SweepBlobsAsync(DateTimeOffset cutoff, bool dryRun, CancellationToken cancellationToken) =>
        Db.WriteAsync<IReadOnlyList<(string, long)>>(async (c, tx, ct) =>
        {
            var list = new List<(string, long)>();
            await using (var cmd = c.CreateCommand())
            {
                cmd.Transaction = tx;
                cmd.CommandText = """
                    SELECT b.digest, b.size FROM blobs b
                    WHERE b.touched_at < $c
                      AND NOT EXISTS (SELECT 1 FROM manifest_refs r WHERE r.target = b.digest)
                      AND NOT EXISTS (SELECT 1 FROM manifests m WHERE m.digest = b.digest)
                      AND NOT EXISTS (SELECT 1 FROM repo_blobs l WHERE l.digest = b.digest AND l.linked_at >= $c)
                    ORDER BY b.digest
                    """;
                cmd.Parameters.AddWithValue("$c", cutoff.ToUnixTimeMilliseconds());
                await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await r.ReadAsync(ct).ConfigureAwait(false))
                {
                    list.Add((r.GetString(0), r.GetInt64(1)));
                }
            }

            if (!dryRun)
            {
                foreach (var (digest, _) in list)
                {
                    await ExecAsync(c, tx, ct, "DELETE FROM repo_blobs WHERE digest = $d", ("$d", digest)).ConfigureAwait(false);
                    await ExecAsync(c, tx, ct, "DELETE FROM blobs WHERE digest = $d", ("$d", digest)).ConfigureAwait(false);
                }
            }

            return list;
        }, cancellationToken);

    /// <summary>All blob digests the database knows (to find files a crash left without a row).</summary>
    public Task<IReadOnlySet<string>> KnownBlobsAsync(CancellationToken cancellationToken) =>
        Db.ReadAsync<IReadOnlySet<string>>(async (c, ct) =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT digest FROM blobs";
            var set = new HashSet<string>(StringComparer.Ordinal);
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                set.Add(r.GetString(0));
            }

            return set;
        }, cancellationToken);

    /// <summary>Counts for the metrics endpoint: blobs, their bytes, repositories, uploads in progress.</summary>
    public Task<(long Blobs, long Bytes, long Repositories, long Uploads)> StatsAsync(CancellationToken cancellationToken) =>
        Db.ReadAsync(async (c, ct) =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT (SELECT COUNT(*) FROM blobs), (SELECT COALESCE(SUM(size),0) FROM blobs), (SELECT COUNT(*) FROM repositories), (SELECT COUNT(*) FROM uploads)";
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await r.ReadAsync(ct).ConfigureAwait(false);
            return (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3));
        }, cancellationToken);
}
