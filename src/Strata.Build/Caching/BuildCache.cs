using System.Globalization;
using System.Text.Json;
using Strata.Oci;
using Strata.Storage.Content;
using Strata.Storage.Metadata;
using Strata.Storage.Snapshots;

namespace Strata.Build.Caching;

/// <summary>
/// Build steps by cache key (parent step ID + instruction text after substitution + build args in scope +
/// digest of the inputs). An entry is only a hit while its config blob, layer blobs and snapshot still exist;
/// otherwise it is dropped, so <c>rmi</c> and garbage collection never leave a broken cache behind.
/// </summary>
public sealed class BuildCache
{
    private readonly MetadataDb _db;
    private readonly IContentProvider _content;
    private readonly ISnapshotter _snapshots;

    public BuildCache(MetadataDb db, IContentProvider content, ISnapshotter snapshots)
    {
        _db = db;
        _content = content;
        _snapshots = snapshots;
    }

    public async Task<CachedStep?> LookupAsync(string key, CancellationToken cancellationToken)
    {
        var row = await _db.ReadAsync(async (c, ct) =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT config_digest, layers, chain_id FROM build_cache WHERE key = $k";
            cmd.Parameters.AddWithValue("$k", key);
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (!await r.ReadAsync(ct).ConfigureAwait(false))
            {
                return ((string, string, string?)?)null;
            }

            return (r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2));
        }, cancellationToken).ConfigureAwait(false);
        if (row is not { } found)
        {
            return null;
        }

        var step = new CachedStep(
            Digest.Parse(found.Item1),
            JsonSerializer.Deserialize(found.Item2, OciJsonContext.Default.ListDescriptor) ?? [],
            found.Item3);
        if (!await IsIntactAsync(step, cancellationToken).ConfigureAwait(false))
        {
            await DeleteAsync(key, cancellationToken).ConfigureAwait(false);
            return null;
        }

        await _db.WriteAsync(async (c, tx, ct) =>
        {
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "UPDATE build_cache SET last_used = $t WHERE key = $k";
            cmd.Parameters.AddWithValue("$k", key);
            cmd.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return step;
    }

    public Task StoreAsync(string key, CachedStep step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        var now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        var layers = JsonSerializer.Serialize(step.Layers.ToList(), OciJsonContext.Default.ListDescriptor);
        return _db.WriteAsync(async (c, tx, ct) =>
        {
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = """
                INSERT INTO build_cache (key, config_digest, layers, chain_id, created, last_used) VALUES ($k, $c, $l, $ch, $t, $t)
                ON CONFLICT(key) DO UPDATE SET config_digest = $c, layers = $l, chain_id = $ch, last_used = $t
                """;
            cmd.Parameters.AddWithValue("$k", key);
            cmd.Parameters.AddWithValue("$c", step.ConfigDigest.ToString());
            cmd.Parameters.AddWithValue("$l", layers);
            cmd.Parameters.AddWithValue("$ch", (object?)step.ChainId ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$t", now);
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken) =>
        _db.WriteAsync(async (c, tx, ct) =>
        {
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "DELETE FROM build_cache WHERE key = $k";
            cmd.Parameters.AddWithValue("$k", key);
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Drops every entry (<c>strata builder prune</c>); returns how many there were.</summary>
    public Task<int> PruneAsync(CancellationToken cancellationToken) =>
        _db.WriteAsync(async (c, tx, ct) =>
        {
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "DELETE FROM build_cache";
            return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken);

    private async Task<bool> IsIntactAsync(CachedStep step, CancellationToken cancellationToken)
    {
        if (await _content.InfoAsync(step.ConfigDigest, cancellationToken).ConfigureAwait(false) is null)
        {
            return false;
        }

        foreach (var l in step.Layers)
        {
            if (await _content.InfoAsync(l.Digest, cancellationToken).ConfigureAwait(false) is null)
            {
                return false;
            }
        }

        if (step.ChainId is not null)
        {
            var info = await _snapshots.StatAsync(step.ChainId, cancellationToken).ConfigureAwait(false);
            if (info is null || info.Kind != SnapshotKind.Committed)
            {
                return false;
            }
        }

        return true;
    }
}
