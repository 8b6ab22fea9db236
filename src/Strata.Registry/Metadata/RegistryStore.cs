using Microsoft.Data.Sqlite;
using Strata.Oci;
using Strata.Registry.Api;
using Strata.Storage.Metadata;

namespace Strata.Registry.Metadata;

/// <summary>
/// The registry's metadata over SQLite. Every mutation is one <c>BEGIN IMMEDIATE</c> transaction, so
/// a manifest push (which checks that its blobs are linked and touches them) and a garbage
/// collection sweep (which removes unreferenced, untouched blobs) are serialized: a sweep never
/// removes a blob a manifest committed a moment earlier, and a manifest never commits over a blob
/// the sweep already removed.
/// </summary>
public sealed partial class RegistryStore
{
    public RegistryStore(MetadataDb db, TimeProvider? time = null)
    {
        Db = db;
        Time = time ?? TimeProvider.System;
    }

    public MetadataDb Db { get; }

    public TimeProvider Time { get; }

    private long Now => Time.GetUtcNow().ToUnixTimeMilliseconds();

    public static async Task<RegistryStore> OpenAsync(string path, TimeProvider? time = null, CancellationToken cancellationToken = default) =>
        new(await MetadataDb.OpenAsync(path, RegistryMigrations.All, cancellationToken).ConfigureAwait(false), time);

    // ---- blobs -------------------------------------------------------------------------------

    /// <summary>Size of a blob if <paramref name="repo"/> may serve it (linked there), else null.</summary>
    public Task<long?> LinkedBlobSizeAsync(string repo, Digest digest, CancellationToken cancellationToken) =>
        Db.ReadAsync(async (c, ct) => await ScalarAsync<long?>(c, null, ct,
            "SELECT b.size FROM repo_blobs rb JOIN blobs b ON b.digest = rb.digest WHERE rb.repo = $r AND rb.digest = $d",
            ("$r", repo), ("$d", digest.ToString())).ConfigureAwait(false), cancellationToken);

    /// <summary>Size of a blob anywhere in the registry, else null.</summary>
    public Task<long?> BlobSizeAsync(Digest digest, CancellationToken cancellationToken) =>
        Db.ReadAsync(async (c, ct) => await ScalarAsync<long?>(c, null, ct,
            "SELECT size FROM blobs WHERE digest = $d", ("$d", digest.ToString())).ConfigureAwait(false), cancellationToken);

    /// <summary>Records a committed blob and links it into <paramref name="repo"/>; enforces the repository's quota.</summary>
    public Task LinkBlobAsync(string repo, Digest digest, long size, long? quota, CancellationToken cancellationToken) =>
        Db.WriteAsync(async (c, tx, ct) =>
        {
            await EnsureRepoAsync(c, tx, repo, ct).ConfigureAwait(false);
            await ExecAsync(c, tx, ct,
                "INSERT INTO blobs (digest, size, created_at, touched_at) VALUES ($d, $s, $n, $n) ON CONFLICT(digest) DO UPDATE SET touched_at = $n",
                ("$d", digest.ToString()), ("$s", size), ("$n", Now)).ConfigureAwait(false);
            var linked = await ScalarAsync<long?>(c, tx, ct, "SELECT 1 FROM repo_blobs WHERE repo = $r AND digest = $d", ("$r", repo), ("$d", digest.ToString())).ConfigureAwait(false);
            if (linked is null && quota is { } limit)
            {
                var used = await UsageAsync(c, tx, repo, ct).ConfigureAwait(false);
                if (used + size > limit)
                {
                    throw new RegistryApiException(413, "DENIED", $"repository {repo} is over its quota ({used + size} of {limit} bytes)");
                }
            }

            await ExecAsync(c, tx, ct,
                "INSERT INTO repo_blobs (repo, digest, linked_at) VALUES ($r, $d, $n) ON CONFLICT DO UPDATE SET linked_at = $n",
                ("$r", repo), ("$d", digest.ToString()), ("$n", Now)).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Links a blob that <paramref name="from"/> holds into <paramref name="repo"/>; false when <paramref name="from"/> lacks it.</summary>
    public Task<long?> MountBlobAsync(string repo, string? from, Digest digest, long? quota, CancellationToken cancellationToken) =>
        Db.WriteAsync<long?>(async (c, tx, ct) =>
        {
            var size = from is null
                ? await ScalarAsync<long?>(c, tx, ct, "SELECT size FROM blobs WHERE digest = $d", ("$d", digest.ToString())).ConfigureAwait(false)
                : await ScalarAsync<long?>(c, tx, ct, "SELECT b.size FROM repo_blobs rb JOIN blobs b ON b.digest = rb.digest WHERE rb.repo = $r AND rb.digest = $d", ("$r", from), ("$d", digest.ToString())).ConfigureAwait(false);
            if (size is null)
            {
                return null;
            }

            await EnsureRepoAsync(c, tx, repo, ct).ConfigureAwait(false);
            var linked = await ScalarAsync<long?>(c, tx, ct, "SELECT 1 FROM repo_blobs WHERE repo = $r AND digest = $d", ("$r", repo), ("$d", digest.ToString())).ConfigureAwait(false);
            if (linked is null && quota is { } limit && await UsageAsync(c, tx, repo, ct).ConfigureAwait(false) + size > limit)
            {
                throw new RegistryApiException(413, "DENIED", $"repository {repo} is over its quota");
            }

            await ExecAsync(c, tx, ct, "UPDATE blobs SET touched_at = $n WHERE digest = $d", ("$d", digest.ToString()), ("$n", Now)).ConfigureAwait(false);
            await ExecAsync(c, tx, ct,
                "INSERT INTO repo_blobs (repo, digest, linked_at) VALUES ($r, $d, $n) ON CONFLICT DO UPDATE SET linked_at = $n",
                ("$r", repo), ("$d", digest.ToString()), ("$n", Now)).ConfigureAwait(false);
            return size;
        }, cancellationToken);

    /// <summary>Unlinks a blob from a repository (the bytes go at the next garbage collection); false when not linked.</summary>
    public Task<bool> UnlinkBlobAsync(string repo, Digest digest, CancellationToken cancellationToken) =>
        Db.WriteAsync(async (c, tx, ct) =>
            await ExecAsync(c, tx, ct, "DELETE FROM repo_blobs WHERE repo = $r AND digest = $d", ("$r", repo), ("$d", digest.ToString())).ConfigureAwait(false) > 0,
            cancellationToken);

    /// <summary>Bytes of all distinct blobs linked into a repository.</summary>
    public Task<long> RepositoryUsageAsync(string repo, CancellationToken cancellationToken) =>
        Db.ReadAsync((c, ct) => UsageAsync(c, null, repo, ct), cancellationToken);

    // ---- manifests and tags -----------------------------------------------------------------

    /// <summary>
    /// Stores a manifest (its bytes must already be a committed blob) under <paramref name="repo"/>
    /// and points <paramref name="tags"/> at it. Fails with MANIFEST_BLOB_UNKNOWN when a referenced
    /// blob is not linked into the repository or a child manifest is not there.
    /// </summary>
    public Task PutManifestAsync(string repo, Digest digest, long size, ManifestFacts facts, IReadOnlyList<string> tags, long? quota, CancellationToken cancellationToken) =>
        Db.WriteAsync(async (c, tx, ct) =>
        {
            await EnsureRepoAsync(c, tx, repo, ct).ConfigureAwait(false);
            var now = Now;
            long total = size;
            foreach (var b in facts.Blobs)
            {
                var linked = await ScalarAsync<long?>(c, tx, ct, "SELECT 1 FROM repo_blobs WHERE repo = $r AND digest = $d", ("$r", repo), ("$d", b.Digest.ToString())).ConfigureAwait(false);
                if (linked is null)
                {
                    throw new RegistryApiException(400, "MANIFEST_BLOB_UNKNOWN", "manifest references a blob unknown to this repository", b.Digest.ToString());
                }

                total += b.Size;
            }

            foreach (var child in facts.Children)
            {
                var childTotal = await ScalarAsync<long?>(c, tx, ct, "SELECT total_size FROM manifests WHERE repo = $r AND digest = $d", ("$r", repo), ("$d", child.Digest.ToString())).ConfigureAwait(false);
                if (childTotal is null)
                {
                    throw new RegistryApiException(400, "MANIFEST_BLOB_UNKNOWN", "index references a manifest unknown to this repository", child.Digest.ToString());
                }

                total += childTotal.Value;
            }

            await ExecAsync(c, tx, ct,
                "INSERT INTO blobs (digest, size, created_at, touched_at) VALUES ($d, $s, $n, $n) ON CONFLICT(digest) DO UPDATE SET touched_at = $n",
                ("$d", digest.ToString()), ("$s", size), ("$n", now)).ConfigureAwait(false);
            var wasLinked = await ScalarAsync<long?>(c, tx, ct, "SELECT 1 FROM repo_blobs WHERE repo = $r AND digest = $d", ("$r", repo), ("$d", digest.ToString())).ConfigureAwait(false);
            if (wasLinked is null && quota is { } limit && await UsageAsync(c, tx, repo, ct).ConfigureAwait(false) + size > limit)
            {
                throw new RegistryApiException(413, "DENIED", $"repository {repo} is over its quota");
            }

            await ExecAsync(c, tx, ct,
                "INSERT INTO repo_blobs (repo, digest, linked_at) VALUES ($r, $d, $n) ON CONFLICT DO UPDATE SET linked_at = $n",
                ("$r", repo), ("$d", digest.ToString()), ("$n", now)).ConfigureAwait(false);
            foreach (var b in facts.Blobs)
            {
                await ExecAsync(c, tx, ct, "UPDATE blobs SET touched_at = $n WHERE digest = $d", ("$d", b.Digest.ToString()), ("$n", now)).ConfigureAwait(false);
            }

            await ExecAsync(c, tx, ct, """
                INSERT INTO manifests (repo, digest, media_type, size, total_size, artifact_type, subject, platforms, annotations, created_at)
                VALUES ($r, $d, $mt, $s, $t, $at, $sub, $p, $ann, $n)
                ON CONFLICT(repo, digest) DO UPDATE SET media_type = $mt, total_size = $t
                """,
                ("$r", repo), ("$d", digest.ToString()), ("$mt", facts.MediaType), ("$s", size), ("$t", total),
                ("$at", facts.ArtifactType), ("$sub", facts.Subject?.ToString()), ("$p", facts.Platforms.Count == 0 ? null : string.Join(',', facts.Platforms)),
                ("$ann", facts.AnnotationsJson), ("$n", now)).ConfigureAwait(false);
            foreach (var b in facts.Blobs)
            {
                await ExecAsync(c, tx, ct, "INSERT OR IGNORE INTO manifest_refs (repo, manifest, target, kind) VALUES ($r, $m, $t, 'blob')",
                    ("$r", repo), ("$m", digest.ToString()), ("$t", b.Digest.ToString())).ConfigureAwait(false);
            }

            foreach (var child in facts.Children)
            {
                await ExecAsync(c, tx, ct, "INSERT OR IGNORE INTO manifest_refs (repo, manifest, target, kind) VALUES ($r, $m, $t, 'manifest')",
                    ("$r", repo), ("$m", digest.ToString()), ("$t", child.Digest.ToString())).ConfigureAwait(false);
            }

            foreach (var tag in tags)
            {
                await ExecAsync(c, tx, ct,
                    "INSERT INTO tags (repo, name, digest, pushed_at) VALUES ($r, $t, $d, $n) ON CONFLICT(repo, name) DO UPDATE SET digest = $d, pushed_at = $n",
                    ("$r", repo), ("$t", tag), ("$d", digest.ToString()), ("$n", now)).ConfigureAwait(false);
            }

            await ExecAsync(c, tx, ct, "UPDATE repositories SET last_push = $n WHERE name = $r", ("$r", repo), ("$n", now)).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>A manifest by tag or digest, or null.</summary>
    public Task<StoredManifest?> GetManifestAsync(string repo, string reference, CancellationToken cancellationToken) =>
        Db.ReadAsync(async (c, ct) =>
        {
            await using var cmd = c.CreateCommand();
            if (Digest.TryParse(reference, out var digest))
            {
                cmd.CommandText = "SELECT digest, media_type, size FROM manifests WHERE repo = $r AND digest = $d";
                cmd.Parameters.AddWithValue("$d", digest.ToString());
            }
            else
            {
                cmd.CommandText = "SELECT m.digest, m.media_type, m.size FROM tags t JOIN manifests m ON m.repo = t.repo AND m.digest = t.digest WHERE t.repo = $r AND t.name = $t";
                cmd.Parameters.AddWithValue("$t", reference);
            }

            cmd.Parameters.AddWithValue("$r", repo);
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            return await r.ReadAsync(ct).ConfigureAwait(false)
                ? new StoredManifest(Digest.Parse(r.GetString(0)), r.GetString(1), r.GetInt64(2))
                : null;
        }, cancellationToken);

    public Task<bool> RepositoryExistsAsync(string repo, CancellationToken cancellationToken) =>
        Db.ReadAsync(async (c, ct) => await ScalarAsync<long?>(c, null, ct,
            "SELECT 1 FROM repositories WHERE name = $r", ("$r", repo)).ConfigureAwait(false) is not null, cancellationToken);

    /// <summary>Tags in lexical order after <paramref name="last"/>, at most <paramref name="n"/> (all when null).</summary>
    public Task<IReadOnlyList<string>> ListTagNamesAsync(string repo, int? n, string? last, CancellationToken cancellationToken) =>
        Db.ReadAsync<IReadOnlyList<string>>(async (c, ct) =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT name FROM tags WHERE repo = $r AND ($l IS NULL OR name > $l) ORDER BY name LIMIT $n";
            cmd.Parameters.AddWithValue("$r", repo);
            cmd.Parameters.AddWithValue("$l", (object?)last ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$n", n ?? -1);
            var list = new List<string>();
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                list.Add(r.GetString(0));
            }

            return list;
        }, cancellationToken);

    /// <summary>Repositories that hold at least one manifest, in lexical order after <paramref name="last"/>.</summary>
    public Task<IReadOnlyList<string>> ListRepositoryNamesAsync(int? n, string? last, Func<string, bool> visible, CancellationToken cancellationToken) =>
        Db.ReadAsync<IReadOnlyList<string>>(async (c, ct) =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT name FROM repositories r WHERE ($l IS NULL OR name > $l) AND EXISTS (SELECT 1 FROM manifests m WHERE m.repo = r.name) ORDER BY name";
            cmd.Parameters.AddWithValue("$l", (object?)last ?? DBNull.Value);
            var list = new List<string>();
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while ((n is null || list.Count < n) && await r.ReadAsync(ct).ConfigureAwait(false))
            {
                var name = r.GetString(0);
                if (visible(name))
                {
                    list.Add(name);
                }
            }

            return list;
        }, cancellationToken);

    /// <summary>Points a tag at a manifest the repository holds.</summary>
    public Task TagAsync(string repo, string tag, Digest digest, CancellationToken cancellationToken) =>
        Db.WriteAsync(async (c, tx, ct) =>
            await ExecAsync(c, tx, ct,
                "INSERT INTO tags (repo, name, digest, pushed_at) VALUES ($r, $t, $d, $n) ON CONFLICT(repo, name) DO UPDATE SET digest = $d, pushed_at = $n",
                ("$r", repo), ("$t", tag), ("$d", digest.ToString()), ("$n", Now)).ConfigureAwait(false),
            cancellationToken);

    /// <summary>Removes a tag; false when it did not exist.</summary>
    public Task<bool> DeleteTagAsync(string repo, string tag, CancellationToken cancellationToken) =>
        Db.WriteAsync(async (c, tx, ct) =>
            await ExecAsync(c, tx, ct, "DELETE FROM tags WHERE repo = $r AND name = $t", ("$r", repo), ("$t", tag)).ConfigureAwait(false) > 0,
            cancellationToken);

    /// <summary>Removes a manifest and every tag pointing at it; false when it did not exist.</summary>
    public Task<bool> DeleteManifestAsync(string repo, Digest digest, CancellationToken cancellationToken) =>
        Db.WriteAsync(async (c, tx, ct) =>
        {
            var n = await ExecAsync(c, tx, ct, "DELETE FROM manifests WHERE repo = $r AND digest = $d", ("$r", repo), ("$d", digest.ToString())).ConfigureAwait(false);
            if (n > 0)
            {
                await ExecAsync(c, tx, ct, "DELETE FROM repo_blobs WHERE repo = $r AND digest = $d", ("$r", repo), ("$d", digest.ToString())).ConfigureAwait(false);
            }

            return n > 0;
        }, cancellationToken);

    /// <summary>Manifests in <paramref name="repo"/> whose subject is <paramref name="subject"/>.</summary>
    public Task<IReadOnlyList<Descriptor>> ListReferrersAsync(string repo, Digest subject, string? artifactType, CancellationToken cancellationToken) =>
        Db.ReadAsync<IReadOnlyList<Descriptor>>(async (c, ct) =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT digest, media_type, size, artifact_type, annotations FROM manifests WHERE repo = $r AND subject = $s AND ($a IS NULL OR artifact_type = $a) ORDER BY created_at, digest";
            cmd.Parameters.AddWithValue("$r", repo);
            cmd.Parameters.AddWithValue("$s", subject.ToString());
            cmd.Parameters.AddWithValue("$a", (object?)artifactType ?? DBNull.Value);
            var list = new List<Descriptor>();
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                list.Add(new Descriptor
                {
                    Digest = Digest.Parse(r.GetString(0)),
                    MediaType = r.GetString(1),
                    Size = r.GetInt64(2),
                    ArtifactType = r.IsDBNull(3) ? null : r.GetString(3),
                    Annotations = r.IsDBNull(4) ? null : AnnotationsJson.Parse(r.GetString(4)),
                });
            }

            return list;
        }, cancellationToken);

    // ---- upload sessions --------------------------------------------------------------------

    public Task CreateUploadAsync(string id, string repo, CancellationToken cancellationToken) =>
        Db.WriteAsync(async (c, tx, ct) =>
            await ExecAsync(c, tx, ct, "INSERT INTO uploads (id, repo, started_at) VALUES ($i, $r, $n)", ("$i", id), ("$r", repo), ("$n", Now)).ConfigureAwait(false),
            cancellationToken);

    public Task<UploadSession?> GetUploadAsync(string id, CancellationToken cancellationToken) =>
        Db.ReadAsync(async (c, ct) =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT id, repo, started_at FROM uploads WHERE id = $i";
            cmd.Parameters.AddWithValue("$i", id);
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            return await r.ReadAsync(ct).ConfigureAwait(false)
                ? new UploadSession(r.GetString(0), r.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2)))
                : null;
        }, cancellationToken);

    public Task DeleteUploadAsync(string id, CancellationToken cancellationToken) =>
        Db.WriteAsync(async (c, tx, ct) =>
            await ExecAsync(c, tx, ct, "DELETE FROM uploads WHERE id = $i", ("$i", id)).ConfigureAwait(false),
            cancellationToken);

    // ---- helpers ----------------------------------------------------------------------------

    private async Task EnsureRepoAsync(SqliteConnection c, SqliteTransaction tx, string repo, CancellationToken ct) =>
        await ExecAsync(c, tx, ct, "INSERT OR IGNORE INTO repositories (name, created_at) VALUES ($r, $n)", ("$r", repo), ("$n", Now)).ConfigureAwait(false);

    private static async Task<long> UsageAsync(SqliteConnection c, SqliteTransaction? tx, string repo, CancellationToken ct) =>
        await ScalarAsync<long?>(c, tx, ct, "SELECT COALESCE(SUM(b.size), 0) FROM repo_blobs rb JOIN blobs b ON b.digest = rb.digest WHERE rb.repo = $r", ("$r", repo)).ConfigureAwait(false) ?? 0;

    internal static async Task<int> ExecAsync(SqliteConnection c, SqliteTransaction? tx, CancellationToken ct, string sql, params (string Name, object? Value)[] args)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (name, value) in args)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    internal static async Task<T?> ScalarAsync<T>(SqliteConnection c, SqliteTransaction? tx, CancellationToken ct, string sql, params (string Name, object? Value)[] args)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (name, value) in args)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var v = await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
        if (v is null or DBNull)
        {
            return default;
        }

        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return (T)Convert.ChangeType(v, target, System.Globalization.CultureInfo.InvariantCulture);
    }
}
