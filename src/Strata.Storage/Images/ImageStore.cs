using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Strata.Oci;
using Strata.Storage.Content;
using Strata.Storage.Layers;
using Strata.Storage.Metadata;
using Strata.Storage.Snapshots;

namespace Strata.Storage.Images;

/// <summary>
/// <see cref="IImageStore"/> on the metadata database (tables from <see cref="ImageMigrations"/>) and the
/// content store. Many strata processes may use one store at once: every change runs in one
/// <c>BEGIN IMMEDIATE</c> transaction, and blob deletion happens inside the same transaction that drops the
/// last reference, so a concurrent registration (which checks its blobs inside its own transaction) either
/// sees the blobs or fails cleanly.
/// </summary>
public sealed partial class ImageStore : IImageStore
{
    private readonly MetadataDb _db;
    private readonly IContentStore _content;
    private readonly ISnapshotter? _snapshots;
    private readonly ILayerApplier? _applier;
    private readonly Func<IEnumerable<IImageUsageCheck>> _usageChecks;

    /// <param name="snapshots">Where layers unpack; null when this store never unpacks (UnpackAsync then fails).</param>
    /// <param name="applier">The layer codec used to unpack.</param>
    /// <param name="usageChecks">Who may block an image's removal (containers); read at each removal.</param>
    public ImageStore(MetadataDb db, IContentStore content, ISnapshotter? snapshots = null, ILayerApplier? applier = null, Func<IEnumerable<IImageUsageCheck>>? usageChecks = null)
    {
        _db = db;
        _content = content;
        _snapshots = snapshots;
        _applier = applier;
        _usageChecks = usageChecks ?? (() => []);
    }

    public IContentStore Content => _content;

    public ISnapshotter? Snapshots => _snapshots;

    public async Task<ImageRecord> ResolveAsync(string nameOrId, CancellationToken cancellationToken = default) =>
        await TryResolveAsync(nameOrId, cancellationToken).ConfigureAwait(false)
        ?? throw StrataException.NotFound("IMAGE_NOT_FOUND", $"No such image: {nameOrId}");

    public async Task<ImageRecord?> TryResolveAsync(string nameOrId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nameOrId);
        var all = await LoadAsync(cancellationToken).ConfigureAwait(false);
        return Resolve(all, nameOrId.Trim(), out _);
    }

    public async IAsyncEnumerable<ImageRecord> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var image in await LoadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return image;
        }
    }

    public async Task<(ImageManifest Manifest, ImageConfig Config)> ReadAsync(ImageRecord image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        var manifest = ImageManifest.Parse(await ReadBlobAsync(image.ManifestDigest, cancellationToken).ConfigureAwait(false));
        var config = ImageConfig.Parse(await ReadBlobAsync(manifest.Config.Digest, cancellationToken).ConfigureAwait(false));
        return (manifest, config);
    }

    public Task<IReadOnlyList<ImageLayer>> LayersAsync(ImageRecord image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        return _db.ReadAsync<IReadOnlyList<ImageLayer>>(async (c, ct) =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = """
                SELECT il.idx, il.layer_digest, l.media_type, l.size, il.diff_id, il.chain_id, l.uncompressed_size
                FROM image_layers il JOIN layers l ON l.digest = il.layer_digest
                WHERE il.image_id = $id ORDER BY il.idx
                """;
            cmd.Parameters.AddWithValue("$id", image.Id.ToString());
            var result = new List<ImageLayer>();
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                result.Add(new ImageLayer(
                    r.GetInt32(0),
                    Digest.Parse(r.GetString(1)),
                    r.GetString(2),
                    r.GetInt64(3),
                    Digest.Parse(r.GetString(4)),
                    Digest.Parse(r.GetString(5)),
                    r.IsDBNull(6) ? null : r.GetInt64(6)));
            }

            return result;
        }, cancellationToken);
    }

    public Task SetUncompressedSizeAsync(Digest layerDigest, long uncompressedSize, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(async (c, tx, ct) =>
        {
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "UPDATE layers SET uncompressed_size = $s WHERE digest = $d AND (uncompressed_size IS NULL OR uncompressed_size <> $s)";
            cmd.Parameters.AddWithValue("$s", uncompressedSize);
            cmd.Parameters.AddWithValue("$d", layerDigest.ToString());
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken);

    public async Task TagAsync(string source, Reference target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.Digest is not null || target.Tag is null)
        {
            throw StrataException.Invalid("REFERENCE_INVALID", $"refusing to create a tag with a digest reference: {target.FamiliarString}");
        }

        var image = await ResolveAsync(source, cancellationToken).ConfigureAwait(false);
        await _db.WriteAsync(async (c, tx, ct) =>
        {
            if (!await ImageExistsAsync(c, tx, image.Id, ct).ConfigureAwait(false))
            {
                throw StrataException.NotFound("IMAGE_NOT_FOUND", $"No such image: {source}");
            }

            await SetTagAsync(c, tx, target, image.Id, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<ImageRecord?> UntagAsync(Reference name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _db.WriteAsync<ImageRecord?>(async (c, tx, ct) =>
        {
            var id = await RemoveNameAsync(c, tx, name, ct).ConfigureAwait(false)
                ?? throw StrataException.NotFound("IMAGE_NOT_FOUND", $"No such image: {name.FamiliarString}");
            var remaining = await CountNamesAsync(c, tx, id, ct).ConfigureAwait(false);
            return remaining > 0 ? null : await LoadOneAsync(c, tx, id, ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>Resolution in docker's order: full ID, exact name, then unique ID prefix.</summary>
    internal static ImageRecord? Resolve(IReadOnlyList<ImageRecord> all, string s, out bool byId)
    {
        byId = false;
        if (s.Length == 0)
        {
            return null;
        }

        if (Digest.TryParse(s, out var full))
        {
            byId = true;
            return all.FirstOrDefault(i => i.Id == full) ?? all.FirstOrDefault(i => i.ManifestDigest == full);
        }

        var hex = s.StartsWith("sha256:", StringComparison.Ordinal) ? s["sha256:".Length..] : null;
        if (hex is null && TryParseReference(s, out var reference))
        {
            var named = FindByName(all, reference);
            if (named is not null)
            {
                return named;
            }

            hex = s;
        }

        hex ??= s;
        if (hex.Length is 0 or > 64 || !hex.All(char.IsAsciiHexDigitLower))
        {
            return null;
        }

        var matches = all.Where(i => i.Id.Encoded.StartsWith(hex, StringComparison.Ordinal)).ToList();
        if (matches.Count > 1)
        {
            throw StrataException.Invalid("IMAGE_AMBIGUOUS", $"multiple IDs found with provided prefix: {s}");
        }

        byId = matches.Count == 1;
        return matches.Count == 1 ? matches[0] : null;
    }

    private static bool TryParseReference(string s, out Reference reference)
    {
        try
        {
            reference = Reference.Parse(s);
            return true;
        }
        catch (StrataException)
        {
            reference = null!;
            return false;
        }
    }

    private static ImageRecord? FindByName(IReadOnlyList<ImageRecord> all, Reference reference)
    {
        if (reference.Digest is { } digest)
        {
            var exact = reference.Repository.WithDigest(digest);
            return all.FirstOrDefault(i => i.RepoDigests.Contains(exact))
                ?? all.FirstOrDefault(i => i.ManifestDigest == digest && i.Names.Concat(i.RepoDigests).Any(n => n.Name == reference.Name))
                ?? all.FirstOrDefault(i => i.ManifestDigest == digest);
        }

        return all.FirstOrDefault(i => i.Names.Contains(reference));
    }

    private async Task<ReadOnlyMemory<byte>> ReadBlobAsync(Digest digest, CancellationToken cancellationToken)
    {
        await using var s = await _content.OpenReadAsync(digest, cancellationToken).ConfigureAwait(false);
        using var ms = new MemoryStream();
        await s.CopyToAsync(ms, cancellationToken).ConfigureAwait(false);
        var bytes = ms.ToArray();
        if (Digest.Compute(bytes, digest.Algorithm) != digest)
        {
            throw StrataException.DataLoss("BLOB_CORRUPT", $"blob {digest} is corrupt (run `strata system check --repair`)");
        }

        return bytes;
    }

    private Task<IReadOnlyList<ImageRecord>> LoadAsync(CancellationToken cancellationToken) =>
        _db.ReadAsync((c, ct) => LoadAllAsync(c, null, null, ct), cancellationToken);

    private static async Task<ImageRecord?> LoadOneAsync(SqliteConnection c, SqliteTransaction? tx, Digest id, CancellationToken ct) =>
        (await LoadAllAsync(c, tx, id, ct).ConfigureAwait(false)).FirstOrDefault();

    private static async Task<IReadOnlyList<ImageRecord>> LoadAllAsync(SqliteConnection c, SqliteTransaction? tx, Digest? only, CancellationToken ct)
    {
        var names = new Dictionary<string, List<Reference>>(StringComparer.Ordinal);
        var digests = new Dictionary<string, List<Reference>>(StringComparer.Ordinal);
        foreach (var (table, into) in new[] { ("image_tags", names), ("image_repo_digests", digests) })
        {
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = $"SELECT image_id, name FROM {table}" + (only is null ? string.Empty : " WHERE image_id = $id") +
                (table == "image_tags" ? " ORDER BY added, name" : " ORDER BY name");
            if (only is { } o)
            {
                cmd.Parameters.AddWithValue("$id", o.ToString());
            }

            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                var id = r.GetString(0);
                if (!into.TryGetValue(id, out var list))
                {
                    into[id] = list = [];
                }

                list.Add(Reference.ParseAny(r.GetString(1)));
            }
        }

        var result = new List<ImageRecord>();
        await using (var cmd = c.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = """
                SELECT i.id, i.manifest_digest, i.media_type, i.created,
                       COALESCE((SELECT SUM(COALESCE(l.uncompressed_size, l.size)) FROM image_layers il JOIN layers l ON l.digest = il.layer_digest WHERE il.image_id = i.id), 0)
                FROM images i
                """ + (only is null ? string.Empty : " WHERE i.id = $id") + " ORDER BY i.created DESC, i.id";
            if (only is { } o)
            {
                cmd.Parameters.AddWithValue("$id", o.ToString());
            }

            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                var id = r.GetString(0);
                result.Add(new ImageRecord(
                    Digest.Parse(id),
                    Digest.Parse(r.GetString(1)),
                    r.GetString(2),
                    r.GetInt64(4),
                    DateTimeOffset.Parse(r.GetString(3), CultureInfo.InvariantCulture),
                    names.TryGetValue(id, out var n) ? n : [],
                    digests.TryGetValue(id, out var d) ? d : []));
            }
        }

        return result;
    }

    private static async Task<bool> ImageExistsAsync(SqliteConnection c, SqliteTransaction tx, Digest id, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT 1 FROM images WHERE id = $id";
        cmd.Parameters.AddWithValue("$id", id.ToString());
        return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) is not null;
    }

    private static async Task SetTagAsync(SqliteConnection c, SqliteTransaction tx, Reference name, Digest id, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT INTO image_tags (name, image_id, added) VALUES ($n, $id, $t)
            ON CONFLICT(name) DO UPDATE SET image_id = excluded.image_id, added = excluded.added WHERE image_id <> excluded.image_id
            """;
        cmd.Parameters.AddWithValue("$n", name.ToString());
        cmd.Parameters.AddWithValue("$id", id.ToString());
        cmd.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Deletes a tag or repo digest; returns the image it pointed at, or null when it did not exist.</summary>
    private static async Task<Digest?> RemoveNameAsync(SqliteConnection c, SqliteTransaction tx, Reference name, CancellationToken ct)
    {
        var table = name.Digest is null ? "image_tags" : "image_repo_digests";
        var key = name.Digest is { } d ? name.Repository.WithDigest(d).ToString() : name.ToString();
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"DELETE FROM {table} WHERE name = $n RETURNING image_id";
        cmd.Parameters.AddWithValue("$n", key);
        return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) is string id ? Digest.Parse(id) : null;
    }

    private static async Task<long> CountNamesAsync(SqliteConnection c, SqliteTransaction tx, Digest id, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT (SELECT COUNT(*) FROM image_tags WHERE image_id = $id) + (SELECT COUNT(*) FROM image_repo_digests WHERE image_id = $id)";
        cmd.Parameters.AddWithValue("$id", id.ToString());
        return (long)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) ?? 0L);
    }
}
