using System.Data.Common;

namespace Strata.Registry.Metadata.Sql;

/// <summary>
/// A SQL database holding the registry's metadata: SQLite (one machine) or PostgreSQL (replicas).
/// The stores run the same SQL on either; this type gives them connections with the same
/// transaction semantics. Every write is serialized with every other write (SQLite's
/// <c>BEGIN IMMEDIATE</c>; on PostgreSQL a transaction-scoped advisory lock), so a manifest push and
/// a garbage-collection sweep never interleave.
/// </summary>
public abstract class RegistryDatabase : IAsyncDisposable
{
    /// <summary>Where the metadata lives, for messages (<c>sqlite:/path</c>, <c>postgres://host:port/db</c>; no password).</summary>
    public abstract string Location { get; }

    /// <summary>Runs a read on its own connection.</summary>
    public abstract Task<T> ReadAsync<T>(Func<DbConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken);

    /// <summary>Runs a write in a transaction serialized with all other writes; commits when the delegate returns.</summary>
    public abstract Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> write, CancellationToken cancellationToken);

    public Task WriteAsync(Func<DbConnection, DbTransaction, CancellationToken, Task> write, CancellationToken cancellationToken) =>
        WriteAsync<bool>(async (c, tx, ct) =>
        {
            await write(c, tx, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>A lock named <paramref name="name"/> held until disposed, across processes and replicas; null when taken and not <paramref name="wait"/>.</summary>
    public abstract Task<IAsyncDisposable?> AcquireLockAsync(string name, bool wait, CancellationToken cancellationToken);

    /// <summary>Throws REGISTRY_METADATA_UNAVAILABLE when the database does not answer.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken) =>
        _ = await ReadAsync((c, ct) => SqlCommands.ScalarAsync<long?>(c, null, ct, "SELECT 1"), cancellationToken).ConfigureAwait(false);

    public abstract ValueTask DisposeAsync();
}
