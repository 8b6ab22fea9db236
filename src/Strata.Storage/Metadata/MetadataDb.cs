using Microsoft.Data.Sqlite;
using Strata.Oci;

namespace Strata.Storage.Metadata;

/// <summary>
/// The SQLite metadata database (WAL). Many strata processes share it: every write runs in
/// <c>BEGIN IMMEDIATE</c> so writers queue on the database lock (busy_timeout) instead of failing,
/// and readers never block writers. Each area registers its own migrations.
/// </summary>
public sealed class MetadataDb
{
    private readonly string _connectionString;

    private MetadataDb(string path)
    {
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 60,
        }.ToString();
    }

    public string Path { get; }

    /// <summary>Opens (creating if needed) the database and applies pending migrations.</summary>
    public static async Task<MetadataDb> OpenAsync(string path, IEnumerable<Migration> migrations, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var db = new MetadataDb(path);
        await using (var c = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        {
            await ExecAsync(c, null, "PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
        }

        await db.MigrateAsync(migrations, cancellationToken).ConfigureAwait(false);
        return db;
    }

    public async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        var c = new SqliteConnection(_connectionString);
        try
        {
            await c.OpenAsync(cancellationToken).ConfigureAwait(false);
            await ExecAsync(c, null, "PRAGMA busy_timeout=60000; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;", cancellationToken).ConfigureAwait(false);
            return c;
        }
        catch (SqliteException e)
        {
            await c.DisposeAsync().ConfigureAwait(false);
            throw StrataException.Unavailable("DB_OPEN", $"cannot open metadata database {Path}: {e.Message}", e);
        }
    }

    /// <summary>Runs a read on its own connection.</summary>
    public async Task<T> ReadAsync<T>(Func<SqliteConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await read(c, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a write in a <c>BEGIN IMMEDIATE</c> transaction; commits when the delegate returns.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, CancellationToken, Task<T>> write, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // Microsoft.Data.Sqlite begins non-deferred transactions with BEGIN IMMEDIATE.
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var result = await write(c, tx, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    public Task WriteAsync(Func<SqliteConnection, SqliteTransaction, CancellationToken, Task> write, CancellationToken cancellationToken = default) =>
        WriteAsync<bool>(async (c, tx, ct) =>
        {
            await write(c, tx, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>Applies migrations not yet recorded, each area in version order, in one transaction per step.</summary>
    public async Task MigrateAsync(IEnumerable<Migration> migrations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        var all = migrations.ToList();

        // Every strata process opens the store: when nothing is pending, one read and no write lock.
        var applied = await ReadAsync(async (c, ct) =>
        {
            var set = new HashSet<(string, long)>();
            await using var exists = c.CreateCommand();
            exists.CommandText = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'";
            if (await exists.ExecuteScalarAsync(ct).ConfigureAwait(false) is null)
            {
                return set;
            }

            await using var q = c.CreateCommand();
            q.CommandText = "SELECT area, version FROM schema_migrations";
            await using var r = await q.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                set.Add((r.GetString(0), r.GetInt64(1)));
            }

            return set;
        }, cancellationToken).ConfigureAwait(false);
        if (all.All(m => applied.Contains((m.Area, m.Version))))
        {
            return;
        }

        migrations = all;
        await WriteAsync(async (c, tx, ct) =>
            await ExecAsync(c, tx, "CREATE TABLE IF NOT EXISTS schema_migrations (area TEXT NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (area, version));", ct).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        foreach (var m in migrations.OrderBy(m => m.Area, StringComparer.Ordinal).ThenBy(m => m.Version))
        {
            await WriteAsync(async (c, tx, ct) =>
            {
                await using var check = c.CreateCommand();
                check.Transaction = tx;
                check.CommandText = "SELECT 1 FROM schema_migrations WHERE area = $a AND version = $v";
                check.Parameters.AddWithValue("$a", m.Area);
                check.Parameters.AddWithValue("$v", m.Version);
                if (await check.ExecuteScalarAsync(ct).ConfigureAwait(false) is not null)
                {
                    return;
                }

                await ExecAsync(c, tx, m.Sql, ct).ConfigureAwait(false);
                await using var record = c.CreateCommand();
                record.Transaction = tx;
                record.CommandText = "INSERT INTO schema_migrations (area, version) VALUES ($a, $v)";
                record.Parameters.AddWithValue("$a", m.Area);
                record.Parameters.AddWithValue("$v", m.Version);
                await record.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    public static async Task<int> ExecAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken = default)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = sql;
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
