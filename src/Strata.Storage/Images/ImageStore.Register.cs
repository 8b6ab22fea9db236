using System.Globalization;
using Microsoft.Data.Sqlite;
using Strata.Oci;

namespace Strata.Storage.Images;

public sealed partial class ImageStore
{
    public async Task<ImageRecord> RegisterAsync(Digest manifestDigest, Reference? name, Reference? repoDigestName = null, CancellationToken cancellationToken = default)
    {
        if (name is not null && (name.Digest is not null || name.Tag is null))
        {
            throw StrataException.Invalid("REFERENCE_INVALID", $"an image name needs a tag: {name.FamiliarString}");
        }

        var raw = await ReadBlobAsync(manifestDigest, cancellationToken).ConfigureAwait(false);
        var mediaType = ManifestKind.Detect(raw.Span);
        if (!MediaTypes.IsManifest(mediaType))
        {
            throw StrataException.Invalid("MANIFEST_INVALID", $"{manifestDigest} is a {mediaType}, not an image manifest");
        }

        var manifest = ImageManifest.Parse(raw);
        var config = ImageConfig.Parse(await ReadBlobAsync(manifest.Config.Digest, cancellationToken).ConfigureAwait(false));
        if (config.RootFs.DiffIds.Count != manifest.Layers.Count)
        {
            throw StrataException.Invalid("MANIFEST_INVALID", $"manifest has {manifest.Layers.Count} layers but its config lists {config.RootFs.DiffIds.Count} diff IDs");
        }

        var chains = ChainId.All(config.RootFs.DiffIds);
        var id = manifest.Config.Digest;
        var created = (config.Created ?? DateTimeOffset.UnixEpoch).ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

        return await _db.WriteAsync(async (c, tx, ct) =>
        {
            // Checked inside the write transaction: a concurrent rmi deletes blobs only inside its own.
            foreach (var d in manifest.Layers.Select(l => l.Digest).Append(id).Append(manifestDigest))
            {
                if (await _content.InfoAsync(d, ct).ConfigureAwait(false) is null)
                {
                    throw StrataException.NotFound("BLOB_UNKNOWN", $"blob {d} of image {id.Short} is not in the content store (removed concurrently?); retry");
                }
            }

            string? existingManifest;
            await using (var q = c.CreateCommand())
            {
                q.Transaction = tx;
                q.CommandText = "SELECT manifest_digest FROM images WHERE id = $id";
                q.Parameters.AddWithValue("$id", id.ToString());
                existingManifest = await q.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
            }

            if (existingManifest != manifestDigest.ToString())
            {
                // A new image, or the same config under another manifest (other compression): the latest wins.
                await using (var up = c.CreateCommand())
                {
                    up.Transaction = tx;
                    up.CommandText = """
                        INSERT INTO images (id, manifest_digest, media_type, size, created, added) VALUES ($id, $m, $mt, $s, $c, $a)
                        ON CONFLICT(id) DO UPDATE SET manifest_digest = excluded.manifest_digest, media_type = excluded.media_type, size = excluded.size
                        """;
                    up.Parameters.AddWithValue("$id", id.ToString());
                    up.Parameters.AddWithValue("$m", manifestDigest.ToString());
                    up.Parameters.AddWithValue("$mt", mediaType);
                    up.Parameters.AddWithValue("$s", manifest.Layers.Sum(l => l.Size));
                    up.Parameters.AddWithValue("$c", created);
                    up.Parameters.AddWithValue("$a", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
                    await up.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                await MetadataDbExec(c, tx, "DELETE FROM image_layers WHERE image_id = $id", id.ToString(), ct).ConfigureAwait(false);
                for (var i = 0; i < manifest.Layers.Count; i++)
                {
                    var l = manifest.Layers[i];
                    await using (var li = c.CreateCommand())
                    {
                        li.Transaction = tx;
                        li.CommandText = "INSERT INTO layers (digest, diff_id, media_type, size) VALUES ($d, $diff, $mt, $s) ON CONFLICT(digest) DO NOTHING";
                        li.Parameters.AddWithValue("$d", l.Digest.ToString());
                        li.Parameters.AddWithValue("$diff", config.RootFs.DiffIds[i].ToString());
                        li.Parameters.AddWithValue("$mt", l.MediaType);
                        li.Parameters.AddWithValue("$s", l.Size);
                        await li.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                    }

                    await using var il = c.CreateCommand();
                    il.Transaction = tx;
                    il.CommandText = "INSERT INTO image_layers (image_id, idx, layer_digest, diff_id, chain_id) VALUES ($id, $i, $d, $diff, $chain)";
                    il.Parameters.AddWithValue("$id", id.ToString());
                    il.Parameters.AddWithValue("$i", i);
                    il.Parameters.AddWithValue("$d", l.Digest.ToString());
                    il.Parameters.AddWithValue("$diff", config.RootFs.DiffIds[i].ToString());
                    il.Parameters.AddWithValue("$chain", chains[i].ToString());
                    await il.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                if (existingManifest is not null && Digest.TryParse(existingManifest, out var old))
                {
                    await DeleteUnreferencedBlobsAsync(c, tx, [old], ct).ConfigureAwait(false);
                }
            }

            if (name is not null)
            {
                await SetTagAsync(c, tx, name, id, ct).ConfigureAwait(false);
            }

            if (repoDigestName is not null)
            {
                var rd = repoDigestName.Repository.WithDigest(repoDigestName.Digest ?? manifestDigest);
                await using var cmd = c.CreateCommand();
                cmd.Transaction = tx;
                cmd.CommandText = "INSERT INTO image_repo_digests (name, image_id) VALUES ($n, $id) ON CONFLICT(name) DO UPDATE SET image_id = excluded.image_id";
                cmd.Parameters.AddWithValue("$n", rd.ToString());
                cmd.Parameters.AddWithValue("$id", id.ToString());
                await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            return (await LoadOneAsync(c, tx, id, ct).ConfigureAwait(false))!;
        }, cancellationToken).ConfigureAwait(false);
    }

    private static async Task MetadataDbExec(SqliteConnection c, SqliteTransaction tx, string sql, string id, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.Parameters.AddWithValue("$id", id);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
