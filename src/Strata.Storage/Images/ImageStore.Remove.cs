using Microsoft.Data.Sqlite;
using Strata.Oci;

namespace Strata.Storage.Images;

public sealed partial class ImageStore
{
    public async Task<ImageRemoval> RemoveAsync(string nameOrId, bool force = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nameOrId);
        var all = await LoadAsync(cancellationToken).ConfigureAwait(false);
        var image = Resolve(all, nameOrId.Trim(), out var byId)
            ?? throw StrataException.NotFound("IMAGE_NOT_FOUND", $"No such image: {nameOrId}");
        var users = new List<ImageUser>();
        foreach (var check in _usageChecks())
        {
            users.AddRange(await check.UsersAsync(image.Id, cancellationToken).ConfigureAwait(false));
        }

        var untagged = new List<string>();
        var refs = image.Names.Concat(image.RepoDigests).ToList();
        var removeAllNames = false;

        // The rules of docker's daemon/images/image_delete.go (ImageDelete, imageDeleteHelper).
        if (!byId)
        {
            var given = Reference.Parse(nameOrId.Trim());
            if (!force && IsSingleReference(refs) && users.Count > 0)
            {
                throw Conflict($"unable to remove repository reference \"{nameOrId}\" (must force) - container {Short(users[0].Id)} is using its referenced image {image.Id.Short}");
            }

            var toRemove = new List<Reference> { Canonical(given, image) };
            var remaining = refs.Where(r => !toRemove.Contains(r)).ToList();
            if (given.Digest is null && !remaining.Any(r => r.Digest is null && r.Name == given.Name))
            {
                // No tag of that repository left: its digest references go too.
                toRemove.AddRange(remaining.Where(r => r.Digest is not null && r.Name == given.Name));
            }

            remaining = refs.Where(r => !toRemove.Contains(r)).ToList();
            if (remaining.Count > 0)
            {
                await RemoveNamesAsync(toRemove, cancellationToken).ConfigureAwait(false);
                return new ImageRemoval(toRemove.Select(r => r.FamiliarString).ToList(), []);
            }

            if (users.Count > 0)
            {
                // docker keeps an image a container uses, even forced: untag only.
                await RemoveNamesAsync(toRemove, cancellationToken).ConfigureAwait(false);
                return new ImageRemoval(toRemove.Select(r => r.FamiliarString).ToList(), []);
            }

            removeAllNames = true;
        }
        else
        {
            var running = users.FirstOrDefault(u => u.Running);
            if (running is not null)
            {
                throw Conflict($"unable to delete {image.Id.Short} (cannot be forced) - image is being used by running {running.Kind} {Short(running.Id)}");
            }

            if (!force && !IsSingleReference(refs))
            {
                throw Conflict($"unable to delete {image.Id.Short} (must be forced) - image is referenced in multiple repositories");
            }

            if (!force && users.Count > 0)
            {
                throw Conflict($"unable to delete {image.Id.Short} (must be forced) - image is being used by stopped {users[0].Kind} {Short(users[0].Id)}");
            }

            removeAllNames = true;
        }

        if (removeAllNames)
        {
            untagged.AddRange(refs.Select(r => r.FamiliarString));
        }

        var chains = await DeleteImageAsync(image.Id, cancellationToken).ConfigureAwait(false);
        await RemoveUnusedSnapshotsAsync(chains, cancellationToken).ConfigureAwait(false);
        return new ImageRemoval(untagged, [image.Id]);
    }

    /// <summary>Deletes an image row and every blob no other image uses, in one transaction; returns its chain IDs, top first.</summary>
    internal Task<IReadOnlyList<Digest>> DeleteImageAsync(Digest id, CancellationToken cancellationToken) =>
        _db.WriteAsync<IReadOnlyList<Digest>>(async (c, tx, ct) =>
        {
            var candidates = new List<Digest> { id };
            var chains = new List<Digest>();
            await using (var q = c.CreateCommand())
            {
                q.Transaction = tx;
                q.CommandText = "SELECT layer_digest, chain_id FROM image_layers WHERE image_id = $id ORDER BY idx DESC";
                q.Parameters.AddWithValue("$id", id.ToString());
                await using var r = await q.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await r.ReadAsync(ct).ConfigureAwait(false))
                {
                    candidates.Add(Digest.Parse(r.GetString(0)));
                    chains.Add(Digest.Parse(r.GetString(1)));
                }
            }

            await using (var del = c.CreateCommand())
            {
                del.Transaction = tx;
                del.CommandText = "DELETE FROM images WHERE id = $id RETURNING manifest_digest";
                del.Parameters.AddWithValue("$id", id.ToString());
                if (await del.ExecuteScalarAsync(ct).ConfigureAwait(false) is string m)
                {
                    candidates.Add(Digest.Parse(m));
                }
                else
                {
                    throw StrataException.NotFound("IMAGE_NOT_FOUND", $"No such image: {id}");
                }
            }

            await DeleteUnreferencedBlobsAsync(c, tx, candidates, ct).ConfigureAwait(false);
            return chains;
        }, cancellationToken);

    /// <summary>Deletes those <paramref name="candidates"/> no image references any more (as manifest, config or layer).</summary>
    private async Task<IReadOnlyList<Digest>> DeleteUnreferencedBlobsAsync(SqliteConnection c, SqliteTransaction tx, IEnumerable<Digest> candidates, CancellationToken ct)
    {
        var deleted = new List<Digest>();
        foreach (var d in candidates.Distinct())
        {
            await using var q = c.CreateCommand();
            q.Transaction = tx;
            q.CommandText = """
                SELECT EXISTS (SELECT 1 FROM images WHERE id = $d OR manifest_digest = $d)
                    OR EXISTS (SELECT 1 FROM image_layers WHERE layer_digest = $d)
                """;
            q.Parameters.AddWithValue("$d", d.ToString());
            if (Convert.ToInt64(await q.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) != 0)
            {
                continue;
            }

            await using (var dl = c.CreateCommand())
            {
                dl.Transaction = tx;
                dl.CommandText = "DELETE FROM layers WHERE digest = $d";
                dl.Parameters.AddWithValue("$d", d.ToString());
                await dl.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            if (await _content.DeleteAsync(d, ct).ConfigureAwait(false))
            {
                deleted.Add(d);
            }
        }

        return deleted;
    }

    /// <summary>
    /// Removes the committed snapshots of <paramref name="chains"/> (top first) that no image uses. A snapshot with
    /// children (a container, another image's layer on top) stays: the snapshotter refuses and that is fine.
    /// </summary>
    private async Task RemoveUnusedSnapshotsAsync(IReadOnlyList<Digest> chains, CancellationToken cancellationToken)
    {
        if (_snapshots is null || chains.Count == 0)
        {
            return;
        }

        var used = await _db.ReadAsync<HashSet<string>>(async (c, ct) =>
        {
            var set = new HashSet<string>(StringComparer.Ordinal);
            await using var q = c.CreateCommand();
            q.CommandText = "SELECT DISTINCT chain_id FROM image_layers";
            await using var r = await q.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                set.Add(r.GetString(0));
            }

            return set;
        }, cancellationToken).ConfigureAwait(false);
        foreach (var chain in chains)
        {
            var key = chain.ToString();
            if (used.Contains(key))
            {
                continue;
            }

            try
            {
                if (await _snapshots.StatAsync(key, cancellationToken).ConfigureAwait(false) is not null)
                {
                    await _snapshots.RemoveAsync(key, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (StrataException e) when (e.Kind is ErrorKind.FailedPrecondition or ErrorKind.NotFound or ErrorKind.Conflict)
            {
                // Still a parent of something (a container or another chain): it stays.
                break;
            }
        }
    }

    private Task RemoveNamesAsync(IReadOnlyList<Reference> names, CancellationToken cancellationToken) =>
        _db.WriteAsync(async (c, tx, ct) =>
        {
            foreach (var n in names)
            {
                await RemoveNameAsync(c, tx, n, ct).ConfigureAwait(false);
            }
        }, cancellationToken);

    /// <summary>The stored form of a name the user gave (a <c>name@digest</c> may match by manifest digest).</summary>
    private static Reference Canonical(Reference given, ImageRecord image) =>
        given.Digest is { } d ? image.RepoDigests.FirstOrDefault(r => r.Digest == d && r.Name == given.Name) ?? given.Repository.WithDigest(d) : given;

    /// <summary>docker's isSingleReference: at most one tag, and every name in one repository.</summary>
    private static bool IsSingleReference(IReadOnlyList<Reference> refs) =>
        refs.Count(r => r.Digest is null) <= 1 && refs.Select(r => r.Name).Distinct(StringComparer.Ordinal).Count() <= 1;

    private static string Short(string id) => id.Length > 12 ? id[..12] : id;

    private static StrataException Conflict(string message) => new(ErrorKind.Conflict, "IMAGE_CONFLICT", "conflict: " + message);
}
