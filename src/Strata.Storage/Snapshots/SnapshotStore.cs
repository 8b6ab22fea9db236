using Microsoft.Data.Sqlite;
using Strata.Oci;
using Strata.Storage.Metadata;

namespace Strata.Storage.Snapshots;

/// <summary>
/// Snapshot metadata in the shared SQLite database. Every change is one <c>BEGIN IMMEDIATE</c> transaction, so
/// concurrent processes see a snapshot either fully registered or not at all; a commit is a single UPDATE that
/// renames an active key to its committed name (no files move).
/// </summary>
public sealed class SnapshotStore
{
    private const string SelectRow = """
        SELECT s.id, s.key, s.parent_id, p.key, s.kind, s.created_at FROM snapshots s LEFT JOIN snapshots p ON p.id = s.parent_id
        """;

    public SnapshotStore(MetadataDb db) => Db = db;

    public MetadataDb Db { get; }

    public Task<SnapshotRow?> GetAsync(string key, CancellationToken cancellationToken) =>
        Db.ReadAsync((c, ct) => GetAsync(c, null, key, ct), cancellationToken);

    public Task<IReadOnlyList<SnapshotRow>> ListAsync(CancellationToken cancellationToken) =>
        Db.ReadAsync<IReadOnlyList<SnapshotRow>>(async (c, ct) =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = SelectRow + " ORDER BY s.id";
            var rows = await ReadRowsAsync(cmd, ct).ConfigureAwait(false);
            var result = new List<SnapshotRow>(rows.Count);
            foreach (var r in rows)
            {
                result.Add(r with { Labels = await LabelsAsync(c, null, r.Id, ct).ConfigureAwait(false) });
            }

            return result;
        }, cancellationToken);

    /// <summary>Ids of <paramref name="id"/> and its ancestors, nearest first.</summary>
    public Task<IReadOnlyList<long>> ChainAsync(long id, CancellationToken cancellationToken) =>
        Db.ReadAsync<IReadOnlyList<long>>(async (c, ct) =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = """
                WITH RECURSIVE chain(id, parent_id, depth) AS (
                    SELECT id, parent_id, 0 FROM snapshots WHERE id = $id
                    UNION ALL SELECT s.id, s.parent_id, c.depth + 1 FROM snapshots s JOIN chain c ON s.id = c.parent_id)
                SELECT id FROM chain ORDER BY depth
                """;
            cmd.Parameters.AddWithValue("$id", id);
            var ids = new List<long>();
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                ids.Add(r.GetInt64(0));
            }

            return ids;
        }, cancellationToken);

    /// <summary>Registers a new active snapshot or view on committed <paramref name="parent"/>.</summary>
    public Task<SnapshotRow> CreateAsync(string key, string? parent, SnapshotKind kind, IReadOnlyDictionary<string, string>? labels, CancellationToken cancellationToken)
    {
        ValidateKey(key);
        return Db.WriteAsync(async (c, tx, ct) =>
        {
            if (await GetAsync(c, tx, key, ct).ConfigureAwait(false) is not null)
            {
                throw StrataException.AlreadyExists("SNAPSHOT_EXISTS", $"snapshot {key} already exists");
            }

            long? parentId = null;
            if (parent is not null)
            {
                var p = await GetAsync(c, tx, parent, ct).ConfigureAwait(false)
                    ?? throw StrataException.NotFound("SNAPSHOT_NOT_FOUND", $"parent snapshot {parent} does not exist");
                if (p.Kind != SnapshotKind.Committed)
                {
                    throw StrataException.Precondition("SNAPSHOT_PARENT_NOT_COMMITTED", $"parent snapshot {parent} is not committed");
                }

                parentId = p.Id;
            }

            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO snapshots (key, parent_id, kind, created_at) VALUES ($k, $p, $kind, $t) RETURNING id";
            cmd.Parameters.AddWithValue("$k", key);
            cmd.Parameters.AddWithValue("$p", (object?)parentId ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$kind", (int)kind);
            cmd.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            var id = (long)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
            await SetLabelsAsync(c, tx, id, labels, ct).ConfigureAwait(false);
            return (await GetAsync(c, tx, key, ct).ConfigureAwait(false))!;
        }, cancellationToken);
    }

    /// <summary>Renames active <paramref name="key"/> to committed <paramref name="name"/>; AlreadyExists if the name is taken.</summary>
    public Task<SnapshotRow> CommitAsync(string name, string key, IReadOnlyDictionary<string, string>? labels, CancellationToken cancellationToken)
    {
        ValidateKey(name);
        return Db.WriteAsync(async (c, tx, ct) =>
        {
            var row = await GetAsync(c, tx, key, ct).ConfigureAwait(false)
                ?? throw StrataException.NotFound("SNAPSHOT_NOT_FOUND", $"snapshot {key} does not exist");
            if (row.Kind != SnapshotKind.Active)
            {
                throw StrataException.Precondition("SNAPSHOT_NOT_ACTIVE", $"snapshot {key} is not active, it cannot be committed");
            }

            if (await GetAsync(c, tx, name, ct).ConfigureAwait(false) is not null)
            {
                throw StrataException.AlreadyExists("SNAPSHOT_EXISTS", $"snapshot {name} already exists");
            }

            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "UPDATE snapshots SET key = $name, kind = $kind WHERE id = $id";
            cmd.Parameters.AddWithValue("$name", name);
            cmd.Parameters.AddWithValue("$kind", (int)SnapshotKind.Committed);
            cmd.Parameters.AddWithValue("$id", row.Id);
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            await SetLabelsAsync(c, tx, row.Id, labels, ct).ConfigureAwait(false);
            return (await GetAsync(c, tx, name, ct).ConfigureAwait(false))!;
        }, cancellationToken);
    }

    /// <summary>Deletes the row of <paramref name="key"/>; FailedPrecondition while it has children.</summary>
    public Task<SnapshotRow> RemoveAsync(string key, CancellationToken cancellationToken) =>
        Db.WriteAsync(async (c, tx, ct) =>
        {
            var row = await GetAsync(c, tx, key, ct).ConfigureAwait(false)
                ?? throw StrataException.NotFound("SNAPSHOT_NOT_FOUND", $"snapshot {key} does not exist");
            await using (var children = c.CreateCommand())
            {
                children.Transaction = tx;
                children.CommandText = "SELECT key FROM snapshots WHERE parent_id = $id LIMIT 1";
                children.Parameters.AddWithValue("$id", row.Id);
                if (await children.ExecuteScalarAsync(ct).ConfigureAwait(false) is string child)
                {
                    throw StrataException.Precondition("SNAPSHOT_HAS_CHILDREN", $"snapshot {key} has children (e.g. {child}); remove them first");
                }
            }

            await MetadataDb.ExecAsync(c, tx, $"DELETE FROM snapshot_labels WHERE snapshot_id = {row.Id}; DELETE FROM snapshots WHERE id = {row.Id};", ct).ConfigureAwait(false);
            return row;
        }, cancellationToken);

    /// <summary>The driver this store was created with, or null before first use.</summary>
    public Task<string?> GetDriverAsync(CancellationToken cancellationToken) =>
        Db.ReadAsync(async (c, ct) =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT driver FROM snapshot_driver WHERE id = 1";
            return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
        }, cancellationToken);

    /// <summary>Records <paramref name="driver"/> unless one is recorded already; returns the recorded one.</summary>
    public Task<string> ClaimDriverAsync(string driver, CancellationToken cancellationToken) =>
        Db.WriteAsync(async (c, tx, ct) =>
        {
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO snapshot_driver (id, driver) VALUES (1, $d) ON CONFLICT(id) DO NOTHING; SELECT driver FROM snapshot_driver WHERE id = 1";
            cmd.Parameters.AddWithValue("$d", driver);
            return (string)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
        }, cancellationToken);

    /// <summary>Synchronous id lookup for <see cref="ISnapshotter.DirectoryOf"/> (a property-like call on the hot path).</summary>
    public long? IdOf(string key)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Db.Path, Mode = SqliteOpenMode.ReadOnly, DefaultTimeout = 60 }.ToString());
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id FROM snapshots WHERE key = $k";
        cmd.Parameters.AddWithValue("$k", key);
        return cmd.ExecuteScalar() is long id ? id : null;
    }

    private static void ValidateKey(string key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 1024 || key.Contains('\0', StringComparison.Ordinal))
        {
            throw StrataException.Invalid("SNAPSHOT_KEY_INVALID", $"invalid snapshot key \"{key}\"");
        }
    }

    private static async Task<SnapshotRow?> GetAsync(SqliteConnection c, SqliteTransaction? tx, string key, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = SelectRow + " WHERE s.key = $k";
        cmd.Parameters.AddWithValue("$k", key);
        var rows = await ReadRowsAsync(cmd, ct).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0] with { Labels = await LabelsAsync(c, tx, rows[0].Id, ct).ConfigureAwait(false) };
    }

    private static async Task<List<SnapshotRow>> ReadRowsAsync(SqliteCommand cmd, CancellationToken ct)
    {
        var rows = new List<SnapshotRow>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            rows.Add(new SnapshotRow(
                r.GetInt64(0),
                r.GetString(1),
                r.IsDBNull(2) ? null : r.GetInt64(2),
                r.IsDBNull(3) ? null : r.GetString(3),
                (SnapshotKind)r.GetInt32(4),
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)),
                new Dictionary<string, string>()));
        }

        return rows;
    }

    private static async Task<IReadOnlyDictionary<string, string>> LabelsAsync(SqliteConnection c, SqliteTransaction? tx, long id, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT name, value FROM snapshot_labels WHERE snapshot_id = $id ORDER BY name";
        cmd.Parameters.AddWithValue("$id", id);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            labels[r.GetString(0)] = r.GetString(1);
        }

        return labels;
    }

    private static async Task SetLabelsAsync(SqliteConnection c, SqliteTransaction tx, long id, IReadOnlyDictionary<string, string>? labels, CancellationToken ct)
    {
        if (labels is null)
        {
            return;
        }

        foreach (var (name, value) in labels)
        {
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO snapshot_labels (snapshot_id, name, value) VALUES ($id, $n, $v) ON CONFLICT(snapshot_id, name) DO UPDATE SET value = excluded.value";
            cmd.Parameters.AddWithValue("$id", id);
            cmd.Parameters.AddWithValue("$n", name);
            cmd.Parameters.AddWithValue("$v", value);
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }
}
