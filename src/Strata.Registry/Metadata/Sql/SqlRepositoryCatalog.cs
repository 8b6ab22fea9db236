using Strata.Oci;
using static Strata.Registry.Metadata.Sql.SqlCommands;

namespace Strata.Registry.Metadata.Sql;

public sealed class SqlRepositoryCatalog(RegistryDatabase db, TimeProvider time) : SqlStore(db, time), IRepositoryCatalog
{
    public Task<bool> RepositoryExistsAsync(string repo, CancellationToken cancellationToken) =>
        Db.ReadAsync(async (c, ct) => await ScalarAsync<long?>(c, null, ct, "SELECT 1 FROM repositories WHERE name = @r", ("@r", repo)).ConfigureAwait(false) is not null, cancellationToken);

    public Task<IReadOnlyList<string>> ListTagNamesAsync(string repo, int? n, string? last, CancellationToken cancellationToken) =>
        Db.ReadAsync<IReadOnlyList<string>>(async (c, ct) => await QueryAsync(c, null, ct, r => r.GetString(0),
            "SELECT name FROM tags WHERE repo = @r" + (last is null ? string.Empty : " AND name > @l") + " ORDER BY name" + (n is null ? string.Empty : " LIMIT @n"),
            [("@r", repo), .. last is null ? Array.Empty<(string, object?)>() : [("@l", last)], .. n is null ? Array.Empty<(string, object?)>() : [("@n", (long)n.Value)]]).ConfigureAwait(false),
            cancellationToken);

    public Task<IReadOnlyList<string>> ListRepositoryNamesAsync(int? n, string? last, Func<string, bool> visible, CancellationToken cancellationToken) =>
        Db.ReadAsync<IReadOnlyList<string>>(async (c, ct) =>
        {
            var names = await QueryAsync(c, null, ct, r => r.GetString(0),
                "SELECT name FROM repositories r WHERE EXISTS (SELECT 1 FROM manifests m WHERE m.repo = r.name)" + (last is null ? string.Empty : " AND name > @l") + " ORDER BY name",
                last is null ? [] : [("@l", last)]).ConfigureAwait(false);
            var list = names.Where(visible);
            return [.. n is null ? list : list.Take(n.Value)];
        }, cancellationToken);

    public Task<IReadOnlyList<string>> SearchRepositoriesAsync(string? filter, CancellationToken cancellationToken) =>
        Db.ReadAsync<IReadOnlyList<string>>(async (c, ct) =>
        {
            var names = await QueryAsync(c, null, ct, r => r.GetString(0),
                "SELECT name FROM repositories r WHERE EXISTS (SELECT 1 FROM manifests m WHERE m.repo = r.name) ORDER BY name").ConfigureAwait(false);
            return [.. filter is null ? names : names.Where(n => n.Contains(filter, StringComparison.Ordinal))];
        }, cancellationToken);

    public Task<IReadOnlyList<RepositoryInfo>> RepositoryInfosAsync(IReadOnlyList<string> names, CancellationToken cancellationToken) =>
        Db.ReadAsync<IReadOnlyList<RepositoryInfo>>(async (c, ct) =>
        {
            var list = new List<RepositoryInfo>(names.Count);
            foreach (var name in names)
            {
                var rows = await QueryAsync(c, null, ct,
                    r => new RepositoryInfo(name, (int)Int(r, 0), Int(r, 1), r.IsDBNull(2) ? null : Time(r, 2)),
                    """
                    SELECT (SELECT COUNT(*) FROM tags t WHERE t.repo = @r),
                           (SELECT CAST(COALESCE(SUM(b.size), 0) AS BIGINT) FROM repo_blobs rb JOIN blobs b ON b.digest = rb.digest WHERE rb.repo = @r),
                           (SELECT last_push FROM repositories WHERE name = @r)
                    """, ("@r", name)).ConfigureAwait(false);
                list.Add(rows[0]);
            }

            return list;
        }, cancellationToken);

    public Task<IReadOnlyList<TagInfo>> TagInfosAsync(string repo, CancellationToken cancellationToken) =>
        Db.ReadAsync<IReadOnlyList<TagInfo>>(async (c, ct) => await QueryAsync(c, null, ct,
            r => new TagInfo(r.GetString(0), r.GetString(1), r.GetString(2), Int(r, 3), Time(r, 4), Text(r, 5)?.Split(',') ?? []),
            """
            SELECT t.name, t.digest, m.media_type, m.total_size, t.pushed_at, m.platforms
            FROM tags t JOIN manifests m ON m.repo = t.repo AND m.digest = t.digest
            WHERE t.repo = @r ORDER BY t.name
            """, ("@r", repo)).ConfigureAwait(false), cancellationToken);

    public Task<IReadOnlyList<StoredManifest>> ListManifestsAsync(string repo, CancellationToken cancellationToken) =>
        Db.ReadAsync<IReadOnlyList<StoredManifest>>(async (c, ct) => await QueryAsync(c, null, ct,
            r => new StoredManifest(Digest.Parse(r.GetString(0)), r.GetString(1), Int(r, 2)),
            "SELECT digest, media_type, size FROM manifests WHERE repo = @r ORDER BY created_at, digest", ("@r", repo)).ConfigureAwait(false), cancellationToken);

    public Task<IReadOnlyList<(Digest Digest, long Size)>> ListLinkedBlobsAsync(string repo, CancellationToken cancellationToken) =>
        Db.ReadAsync<IReadOnlyList<(Digest, long)>>(async (c, ct) => await QueryAsync(c, null, ct,
            r => (Digest.Parse(r.GetString(0)), Int(r, 1)),
            "SELECT b.digest, b.size FROM repo_blobs rb JOIN blobs b ON b.digest = rb.digest WHERE rb.repo = @r ORDER BY rb.linked_at, b.digest", ("@r", repo)).ConfigureAwait(false), cancellationToken);
}
