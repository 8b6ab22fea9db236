using System.Buffers.Binary;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using Strata.Oci;
using Strata.Storage.Metadata;

namespace Strata.Registry.Metadata.Sql;

/// <summary>
/// The metadata of a scaled-out registry: PostgreSQL through Npgsql's slim (NativeAOT) data source.
/// Writes run in READ COMMITTED transactions that first take one transaction-scoped advisory lock,
/// so they are serialized exactly like SQLite's <c>BEGIN IMMEDIATE</c> across every replica; reads
/// take no lock. Named locks (the collector's) are session advisory locks on their own connection,
/// released by PostgreSQL if the holder dies.
/// </summary>
public sealed class PostgresRegistryDatabase : RegistryDatabase
{
    private static readonly long WriteLockKey = LockKey("write");
    private static readonly long MigrateLockKey = LockKey("migrate");
    private readonly NpgsqlDataSource _source;

    private PostgresRegistryDatabase(NpgsqlDataSource source, string location)
    {
        _source = source;
        Location = location;
    }

    public override string Location { get; }

    /// <summary>
    /// Connects to <paramref name="url"/> (<c>postgres://user:password@host:port/database?sslmode=...</c>)
    /// and applies pending migrations; REGISTRY_METADATA_UNAVAILABLE when PostgreSQL does not answer.
    /// </summary>
    public static async Task<PostgresRegistryDatabase> OpenAsync(string url, CancellationToken cancellationToken)
    {
        var (connectionString, location) = ParseUrl(url);
        var source = new NpgsqlSlimDataSourceBuilder(connectionString).Build();
        var db = new PostgresRegistryDatabase(source, location);
        try
        {
            await db.MigrateAsync(RegistryMigrations.Postgres, cancellationToken).ConfigureAwait(false);
            return db;
        }
        catch
        {
            await source.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Turns a <c>postgres://</c> URL into an Npgsql connection string and a password-free location.</summary>
    public static (string ConnectionString, string Location) ParseUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgres" or "postgresql"))
        {
            throw StrataException.Invalid(RegistryErrors.BackendInvalid, $"invalid PostgreSQL URL {Redact(url)}: expected postgres://user:password@host:port/database");
        }

        var b = new NpgsqlConnectionStringBuilder
        {
            Host = string.IsNullOrEmpty(uri.Host) ? "127.0.0.1" : uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } d ? d : "postgres",
            Timeout = 10,
            CommandTimeout = 120,
            MaxPoolSize = 50,
        };
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            b.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                b.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..]);
            switch (key)
            {
                case "sslmode":
                    b.SslMode = Enum.TryParse<SslMode>(value.Replace("-", string.Empty, StringComparison.Ordinal), true, out var mode)
                        ? mode
                        : throw StrataException.Invalid(RegistryErrors.BackendInvalid, $"invalid sslmode {value} in the PostgreSQL URL");
                    break;
                case "host":
                    b.Host = value;
                    break;
                case "connect_timeout":
                    b.Timeout = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "application_name":
                    b.ApplicationName = value;
                    break;
                default:
                    throw StrataException.Invalid(RegistryErrors.BackendInvalid, $"unsupported PostgreSQL URL parameter {key}");
            }
        }

        b.ApplicationName ??= "strata-registry";
        return (b.ConnectionString, $"postgres://{(b.Username is null ? string.Empty : b.Username + "@")}{b.Host}:{b.Port}/{b.Database}");
    }

    public override async Task<T> ReadAsync<T>(Func<DbConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        try
        {
            await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
            return await read(c, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException e) when (e.IsTransient)
        {
            throw Lost(e);
        }
    }

    public override async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        try
        {
            await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var tx = await c.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
            await SqlCommands.ExecAsync(c, tx, cancellationToken, "SELECT pg_advisory_xact_lock(@k)", ("@k", WriteLockKey)).ConfigureAwait(false);
            var result = await write(c, tx, cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        catch (NpgsqlException e) when (e.IsTransient)
        {
            throw Lost(e);
        }
    }

    /// <summary>A connection lost or refused mid-operation: the metadata store is unavailable (503), not the request invalid.</summary>
    private StrataException Lost(Exception e) =>
        StrataException.Unavailable(RegistryErrors.MetadataUnavailable, $"metadata store {Location} unavailable: {e.Message}", e);

    public override async Task<IAsyncDisposable?> AcquireLockAsync(string name, bool wait, CancellationToken cancellationToken)
    {
        var key = LockKey(name);
        var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (wait)
            {
                await SqlCommands.ExecAsync(c, null, cancellationToken, "SELECT pg_advisory_lock(@k)", ("@k", key)).ConfigureAwait(false);
            }
            else if (!await SqlCommands.ScalarAsync<bool>(c, null, cancellationToken, "SELECT pg_try_advisory_lock(@k)", ("@k", key)).ConfigureAwait(false))
            {
                await c.DisposeAsync().ConfigureAwait(false);
                return null;
            }

            return new SessionLock(c, key);
        }
        catch
        {
            await c.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override ValueTask DisposeAsync() => _source.DisposeAsync();

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            throw Lost(e);
        }
    }

    private async Task MigrateAsync(IReadOnlyList<Migration> migrations, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // Replicas starting together: one migrates, the others wait and then find nothing to do.
        await SqlCommands.ExecAsync(c, tx, cancellationToken, "SELECT pg_advisory_xact_lock(@k)", ("@k", MigrateLockKey)).ConfigureAwait(false);
        await SqlCommands.ExecAsync(c, tx, cancellationToken,
            "CREATE TABLE IF NOT EXISTS schema_migrations (area TEXT NOT NULL, version BIGINT NOT NULL, PRIMARY KEY (area, version))").ConfigureAwait(false);
        var applied = (await SqlCommands.QueryAsync(c, tx, cancellationToken, r => (r.GetString(0), SqlCommands.Int(r, 1)),
            "SELECT area, version FROM schema_migrations").ConfigureAwait(false)).ToHashSet();
        foreach (var m in migrations.OrderBy(m => m.Area, StringComparer.Ordinal).ThenBy(m => m.Version))
        {
            if (applied.Contains((m.Area, (long)m.Version)))
            {
                continue;
            }

            await SqlCommands.ExecAsync(c, tx, cancellationToken, m.Sql).ConfigureAwait(false);
            await SqlCommands.ExecAsync(c, tx, cancellationToken, "INSERT INTO schema_migrations (area, version) VALUES (@a, @v)", ("@a", m.Area), ("@v", (long)m.Version)).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static long LockKey(string name) =>
        BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes("strata-registry:" + name)));

    private static string Redact(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) && u.UserInfo.Contains(':', StringComparison.Ordinal)
            ? url.Replace(u.UserInfo, u.UserInfo[..u.UserInfo.IndexOf(':', StringComparison.Ordinal)] + ":***", StringComparison.Ordinal)
            : url;

    private sealed class SessionLock(NpgsqlConnection connection, long key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await SqlCommands.ExecAsync(connection, null, CancellationToken.None, "SELECT pg_advisory_unlock(@k)", ("@k", key)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is NpgsqlException or IOException)
            {
                // The session ends below; PostgreSQL releases its advisory locks with it.
            }

            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
