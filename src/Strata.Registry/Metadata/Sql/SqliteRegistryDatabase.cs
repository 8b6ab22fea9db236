using System.Data.Common;
using Strata.Storage.Metadata;

namespace Strata.Registry.Metadata.Sql;

/// <summary>The single-machine metadata: <c>registry.db</c> in SQLite WAL mode (<see cref="MetadataDb"/>).</summary>
public sealed class SqliteRegistryDatabase : RegistryDatabase
{
    private readonly MetadataDb _db;

    private SqliteRegistryDatabase(MetadataDb db) => _db = db;

    public override string Location => "sqlite:" + _db.Path;

    public static async Task<SqliteRegistryDatabase> OpenAsync(string path, CancellationToken cancellationToken) =>
        new(await MetadataDb.OpenAsync(path, RegistryMigrations.Sqlite, cancellationToken).ConfigureAwait(false));

    public override Task<T> ReadAsync<T>(Func<DbConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken) =>
        _db.ReadAsync((c, ct) => read(c, ct), cancellationToken);

    public override Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> write, CancellationToken cancellationToken) =>
        _db.WriteAsync((c, tx, ct) => write(c, tx, ct), cancellationToken);

    /// <summary>An exclusive lock on a file beside the database (one machine: processes share the file system).</summary>
    public override async Task<IAsyncDisposable?> AcquireLockAsync(string name, bool wait, CancellationToken cancellationToken)
    {
        var path = $"{_db.Path}.{name}.lock";
        while (true)
        {
            try
            {
                // FileShare.None takes an exclusive advisory lock on Unix, released when the process dies.
                return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (wait)
            {
                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                return null;
            }
        }
    }

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed class FileLock(FileStream file) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => file.DisposeAsync();
    }
}
