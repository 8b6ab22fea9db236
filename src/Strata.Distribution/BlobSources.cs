using Microsoft.Data.Sqlite;
using Strata.Oci;
using Strata.Storage.Metadata;

namespace Strata.Distribution;

/// <summary>
/// Remembers which repositories of which registry hold a blob (as docker's V2MetadataService does), learnt from
/// pulls and pushes, so a push to another repository of the same registry can mount instead of upload.
/// </summary>
public sealed class BlobSources
{
    public const string Area = "distribution";

    private readonly MetadataDb _db;

    public BlobSources(MetadataDb db) => _db = db;

    public static IEnumerable<Migration> Migrations =>
    [
        new(Area, 1, """
            CREATE TABLE IF NOT EXISTS blob_sources (
                digest TEXT NOT NULL,
                registry TEXT NOT NULL,
                repository TEXT NOT NULL,
                seen TEXT NOT NULL,
                PRIMARY KEY (digest, registry, repository)
            );
            """),
    ];

    public Task RecordAsync(string registry, string repository, IEnumerable<Digest> digests, CancellationToken cancellationToken = default)
    {
        var list = digests.Distinct().ToList();
        if (list.Count == 0)
        {
            return Task.CompletedTask;
        }

        return _db.WriteAsync(async (c, tx, ct) =>
        {
            foreach (var d in list)
            {
                await using var cmd = c.CreateCommand();
                cmd.Transaction = tx;
                cmd.CommandText = """
                    INSERT INTO blob_sources (digest, registry, repository, seen) VALUES ($d, $r, $p, $s)
                    ON CONFLICT(digest, registry, repository) DO UPDATE SET seen = excluded.seen
                    """;
                cmd.Parameters.AddWithValue("$d", d.ToString());
                cmd.Parameters.AddWithValue("$r", registry);
                cmd.Parameters.AddWithValue("$p", repository);
                cmd.Parameters.AddWithValue("$s", DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }, cancellationToken);
    }

    /// <summary>Repositories of <paramref name="registry"/> known to hold <paramref name="digest"/>, most recent first.</summary>
    public Task<IReadOnlyList<string>> RepositoriesAsync(Digest digest, string registry, CancellationToken cancellationToken = default) =>
        _db.ReadAsync<IReadOnlyList<string>>(async (c, ct) =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT repository FROM blob_sources WHERE digest = $d AND registry = $r ORDER BY seen DESC";
            cmd.Parameters.AddWithValue("$d", digest.ToString());
            cmd.Parameters.AddWithValue("$r", registry);
            var result = new List<string>();
            await using SqliteDataReader r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                result.Add(r.GetString(0));
            }

            return result;
        }, cancellationToken);
}
