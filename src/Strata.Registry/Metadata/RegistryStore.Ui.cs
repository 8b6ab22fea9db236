namespace Strata.Registry.Metadata;

/// <summary>Listings for the web UI, from the database only.</summary>
public sealed partial class RegistryStore
{
    /// <summary>Names of repositories holding manifests whose name contains <paramref name="filter"/>, in order.</summary>
    public Task<IReadOnlyList<string>> SearchRepositoriesAsync(string? filter, CancellationToken cancellationToken) =>
        Db.ReadAsync<IReadOnlyList<string>>(async (c, ct) =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = """
                SELECT name FROM repositories r
                WHERE ($f IS NULL OR instr(name, $f) > 0) AND EXISTS (SELECT 1 FROM manifests m WHERE m.repo = r.name)
                ORDER BY name
                """;
            cmd.Parameters.AddWithValue("$f", (object?)filter ?? DBNull.Value);
            var list = new List<string>();
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                list.Add(r.GetString(0));
            }

            return list;
        }, cancellationToken);

    /// <summary>Tag count, stored bytes and last push of each named repository.</summary>
    public Task<IReadOnlyList<RepositoryInfo>> RepositoryInfosAsync(IReadOnlyList<string> names, CancellationToken cancellationToken) =>
        Db.ReadAsync<IReadOnlyList<RepositoryInfo>>(async (c, ct) =>
        {
            var list = new List<RepositoryInfo>(names.Count);
            await using var cmd = c.CreateCommand();
            cmd.CommandText = """
                SELECT (SELECT COUNT(*) FROM tags t WHERE t.repo = $r),
                       (SELECT COALESCE(SUM(b.size), 0) FROM repo_blobs rb JOIN blobs b ON b.digest = rb.digest WHERE rb.repo = $r),
                       (SELECT last_push FROM repositories WHERE name = $r)
                """;
            var p = cmd.Parameters.Add("$r", Microsoft.Data.Sqlite.SqliteType.Text);
            foreach (var name in names)
            {
                p.Value = name;
                await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await r.ReadAsync(ct).ConfigureAwait(false);
                list.Add(new RepositoryInfo(name, r.GetInt32(0), r.GetInt64(1),
                    r.IsDBNull(2) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2))));
            }

            return list;
        }, cancellationToken);

    /// <summary>Tags of a repository with their manifest's type, total size, platforms and push time.</summary>
    public Task<IReadOnlyList<TagInfo>> TagInfosAsync(string repo, CancellationToken cancellationToken) =>
        Db.ReadAsync<IReadOnlyList<TagInfo>>(async (c, ct) =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = """
                SELECT t.name, t.digest, m.media_type, m.total_size, t.pushed_at, m.platforms
                FROM tags t JOIN manifests m ON m.repo = t.repo AND m.digest = t.digest
                WHERE t.repo = $r ORDER BY t.name
                """;
            cmd.Parameters.AddWithValue("$r", repo);
            var list = new List<TagInfo>();
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                list.Add(new TagInfo(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3),
                    DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)),
                    r.IsDBNull(5) ? [] : r.GetString(5).Split(',')));
            }

            return list;
        }, cancellationToken);
}
