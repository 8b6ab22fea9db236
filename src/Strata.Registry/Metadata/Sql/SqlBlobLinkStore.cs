using Strata.Oci;
using static Strata.Registry.Metadata.Sql.SqlCommands;

namespace Strata.Registry.Metadata.Sql;

public sealed class SqlBlobLinkStore(RegistryDatabase db, TimeProvider time) : SqlStore(db, time), IBlobLinkStore
{
    public Task<long?> LinkedBlobSizeAsync(string repo, Digest digest, CancellationToken cancellationToken) =>
        Db.ReadAsync((c, ct) => ScalarAsync<long?>(c, null, ct,
            "SELECT b.size FROM repo_blobs rb JOIN blobs b ON b.digest = rb.digest WHERE rb.repo = @r AND rb.digest = @d",
            ("@r", repo), ("@d", digest.ToString())), cancellationToken);

    public Task<long?> BlobSizeAsync(Digest digest, CancellationToken cancellationToken) =>
        Db.ReadAsync((c, ct) => ScalarAsync<long?>(c, null, ct, "SELECT size FROM blobs WHERE digest = @d", ("@d", digest.ToString())), cancellationToken);

    public Task LinkBlobAsync(string repo, Digest digest, long size, long? quota, CancellationToken cancellationToken) =>
        Db.WriteAsync(async (c, tx, ct) =>
        {
            await EnsureRepoAsync(c, tx, repo, ct).ConfigureAwait(false);
            await ExecAsync(c, tx, ct,
                "INSERT INTO blobs (digest, size, created_at, touched_at) VALUES (@d, @s, @n, @n) ON CONFLICT (digest) DO UPDATE SET touched_at = @n",
                ("@d", digest.ToString()), ("@s", size), ("@n", Now)).ConfigureAwait(false);
            await LinkAsync(c, tx, repo, digest.ToString(), size, quota, ct).ConfigureAwait(false);
        }, cancellationToken);

    public Task<long?> MountBlobAsync(string repo, string? from, Digest digest, long? quota, CancellationToken cancellationToken) =>
        Db.WriteAsync<long?>(async (c, tx, ct) =>
        {
            var size = from is null
                ? await ScalarAsync<long?>(c, tx, ct, "SELECT size FROM blobs WHERE digest = @d", ("@d", digest.ToString())).ConfigureAwait(false)
                : await ScalarAsync<long?>(c, tx, ct, "SELECT b.size FROM repo_blobs rb JOIN blobs b ON b.digest = rb.digest WHERE rb.repo = @r AND rb.digest = @d", ("@r", from), ("@d", digest.ToString())).ConfigureAwait(false);
            if (size is null)
            {
                return null;
            }

            await EnsureRepoAsync(c, tx, repo, ct).ConfigureAwait(false);
            await ExecAsync(c, tx, ct, "UPDATE blobs SET touched_at = @n WHERE digest = @d", ("@d", digest.ToString()), ("@n", Now)).ConfigureAwait(false);
            await LinkAsync(c, tx, repo, digest.ToString(), size.Value, quota, ct).ConfigureAwait(false);
            return size;
        }, cancellationToken);

    public Task<bool> UnlinkBlobAsync(string repo, Digest digest, CancellationToken cancellationToken) =>
        Db.WriteAsync(async (c, tx, ct) =>
            await ExecAsync(c, tx, ct, "DELETE FROM repo_blobs WHERE repo = @r AND digest = @d", ("@r", repo), ("@d", digest.ToString())).ConfigureAwait(false) > 0,
            cancellationToken);

    public Task<long> RepositoryUsageAsync(string repo, CancellationToken cancellationToken) =>
        Db.ReadAsync((c, ct) => UsageAsync(c, null, repo, ct), cancellationToken);
}
