using Strata.Oci;
using static Strata.Registry.Metadata.Sql.SqlCommands;

namespace Strata.Registry.Metadata.Sql;

public sealed class SqlManifestStore(RegistryDatabase db, TimeProvider time) : SqlStore(db, time), IManifestStore
{
    public Task PutManifestAsync(string repo, Digest digest, long size, ManifestFacts facts, IReadOnlyList<string> tags, long? quota, CancellationToken cancellationToken) =>
        Db.WriteAsync(async (c, tx, ct) =>
        {
            await EnsureRepoAsync(c, tx, repo, ct).ConfigureAwait(false);
            var now = Now;
            long total = size;
            foreach (var b in facts.Blobs)
            {
                if (!await IsLinkedAsync(c, tx, repo, b.Digest.ToString(), ct).ConfigureAwait(false))
                {
                    throw RegistryErrors.ManifestReferenceUnknown("manifest references a blob unknown to this repository", b.Digest);
                }

                total += b.Size;
            }

            foreach (var child in facts.Children)
            {
                var childTotal = await ScalarAsync<long?>(c, tx, ct, "SELECT total_size FROM manifests WHERE repo = @r AND digest = @d", ("@r", repo), ("@d", child.Digest.ToString())).ConfigureAwait(false);
                if (childTotal is null)
                {
                    throw RegistryErrors.ManifestReferenceUnknown("index references a manifest unknown to this repository", child.Digest);
                }

                total += childTotal.Value;
            }

            await ExecAsync(c, tx, ct,
                "INSERT INTO blobs (digest, size, created_at, touched_at) VALUES (@d, @s, @n, @n) ON CONFLICT (digest) DO UPDATE SET touched_at = @n",
                ("@d", digest.ToString()), ("@s", size), ("@n", now)).ConfigureAwait(false);
            await LinkAsync(c, tx, repo, digest.ToString(), size, quota, ct).ConfigureAwait(false);
            foreach (var b in facts.Blobs)
            {
                await ExecAsync(c, tx, ct, "UPDATE blobs SET touched_at = @n WHERE digest = @d", ("@d", b.Digest.ToString()), ("@n", now)).ConfigureAwait(false);
            }

            await ExecAsync(c, tx, ct, """
                INSERT INTO manifests (repo, digest, media_type, size, total_size, artifact_type, subject, platforms, annotations, created_at)
                VALUES (@r, @d, @mt, @s, @t, @at, @sub, @p, @ann, @n)
                ON CONFLICT (repo, digest) DO UPDATE SET media_type = @mt, total_size = @t
                """,
                ("@r", repo), ("@d", digest.ToString()), ("@mt", facts.MediaType), ("@s", size), ("@t", total),
                ("@at", facts.ArtifactType), ("@sub", facts.Subject?.ToString()), ("@p", facts.Platforms.Count == 0 ? null : string.Join(',', facts.Platforms)),
                ("@ann", facts.AnnotationsJson), ("@n", now)).ConfigureAwait(false);
            foreach (var (target, kind) in facts.Blobs.Select(b => (b.Digest, "blob")).Concat(facts.Children.Select(m => (m.Digest, "manifest"))))
            {
                await ExecAsync(c, tx, ct, "INSERT INTO manifest_refs (repo, manifest, target, kind) VALUES (@r, @m, @t, @k) ON CONFLICT (repo, manifest, target) DO NOTHING",
                    ("@r", repo), ("@m", digest.ToString()), ("@t", target.ToString()), ("@k", kind)).ConfigureAwait(false);
            }

            foreach (var tag in tags)
            {
                await SetTagAsync(c, tx, repo, tag, digest, now, ct).ConfigureAwait(false);
            }

            await ExecAsync(c, tx, ct, "UPDATE repositories SET last_push = @n WHERE name = @r", ("@r", repo), ("@n", now)).ConfigureAwait(false);
        }, cancellationToken);

    public Task<StoredManifest?> GetManifestAsync(string repo, string reference, CancellationToken cancellationToken) =>
        Db.ReadAsync(async (c, ct) =>
        {
            var rows = Digest.TryParse(reference, out var digest)
                ? await QueryAsync(c, null, ct, Map, "SELECT digest, media_type, size FROM manifests WHERE repo = @r AND digest = @d", ("@r", repo), ("@d", digest.ToString())).ConfigureAwait(false)
                : await QueryAsync(c, null, ct, Map,
                    "SELECT m.digest, m.media_type, m.size FROM tags t JOIN manifests m ON m.repo = t.repo AND m.digest = t.digest WHERE t.repo = @r AND t.name = @t",
                    ("@r", repo), ("@t", reference)).ConfigureAwait(false);
            return rows.FirstOrDefault();
        }, cancellationToken);

    public Task TagAsync(string repo, string tag, Digest digest, CancellationToken cancellationToken) =>
        Db.WriteAsync((c, tx, ct) => SetTagAsync(c, tx, repo, tag, digest, Now, ct), cancellationToken);

    public Task<bool> DeleteTagAsync(string repo, string tag, CancellationToken cancellationToken) =>
        Db.WriteAsync(async (c, tx, ct) =>
            await ExecAsync(c, tx, ct, "DELETE FROM tags WHERE repo = @r AND name = @t", ("@r", repo), ("@t", tag)).ConfigureAwait(false) > 0,
            cancellationToken);

    public Task<bool> DeleteManifestAsync(string repo, Digest digest, CancellationToken cancellationToken) =>
        Db.WriteAsync(async (c, tx, ct) =>
        {
            var n = await ExecAsync(c, tx, ct, "DELETE FROM manifests WHERE repo = @r AND digest = @d", ("@r", repo), ("@d", digest.ToString())).ConfigureAwait(false);
            if (n > 0)
            {
                await ExecAsync(c, tx, ct, "DELETE FROM repo_blobs WHERE repo = @r AND digest = @d", ("@r", repo), ("@d", digest.ToString())).ConfigureAwait(false);
            }

            return n > 0;
        }, cancellationToken);

    public Task<IReadOnlyList<Descriptor>> ListReferrersAsync(string repo, Digest subject, string? artifactType, CancellationToken cancellationToken) =>
        Db.ReadAsync<IReadOnlyList<Descriptor>>(async (c, ct) => await QueryAsync(c, null, ct,
            r => new Descriptor
            {
                Digest = Digest.Parse(r.GetString(0)),
                MediaType = r.GetString(1),
                Size = Int(r, 2),
                ArtifactType = Text(r, 3),
                Annotations = Text(r, 4) is { } a ? AnnotationsJson.Parse(a) : null,
            },
            "SELECT digest, media_type, size, artifact_type, annotations FROM manifests WHERE repo = @r AND subject = @s"
                + (artifactType is null ? string.Empty : " AND artifact_type = @a") + " ORDER BY created_at, digest",
            artifactType is null ? [("@r", repo), ("@s", subject.ToString())] : [("@r", repo), ("@s", subject.ToString()), ("@a", artifactType)]).ConfigureAwait(false), cancellationToken);

    private static StoredManifest Map(System.Data.Common.DbDataReader r) => new(Digest.Parse(r.GetString(0)), r.GetString(1), Int(r, 2));

    private static Task<int> SetTagAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, string repo, string tag, Digest digest, long now, CancellationToken ct) =>
        ExecAsync(c, tx, ct,
            "INSERT INTO tags (repo, name, digest, pushed_at) VALUES (@r, @t, @d, @n) ON CONFLICT (repo, name) DO UPDATE SET digest = @d, pushed_at = @n",
            ("@r", repo), ("@t", tag), ("@d", digest.ToString()), ("@n", now));
}
