using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Strata.Oci;
using Strata.Storage.Metadata;

namespace Strata.Runtime.Volumes;

/// <summary>
/// Local volumes: <c>&lt;root&gt;/volumes/NAME/_data</c>, recorded in the metadata database. They outlive the
/// containers that use them; only <c>volume rm</c>, <c>volume prune</c> and <c>rm -v</c> (anonymous ones) delete them.
/// </summary>
public sealed partial class VolumeStore
{
    private readonly MetadataDb _db;
    private readonly string _root;

    public VolumeStore(MetadataDb db, string root)
    {
        _db = db;
        _root = root;
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$")]
    private static partial System.Text.RegularExpressions.Regex NamePattern();

    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    public string DataDir(string name) => Path.Combine(_root, name, "_data");

    /// <summary>Creates a volume (a random name when null); an existing volume of that name is returned as is, as docker does.</summary>
    public async Task<(VolumeRecord Volume, bool Created)> CreateAsync(string? name, IReadOnlyDictionary<string, string>? labels = null, bool anonymous = false, CancellationToken cancellationToken = default)
    {
        name ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        if (!IsValidName(name))
        {
            throw StrataException.Invalid("VOLUME_NAME", $"create {name}: \"{name}\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed");
        }

        var created = false;
        await _db.WriteAsync(async (c, tx, ct) =>
        {
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT OR IGNORE INTO volumes (name, driver, created, labels, anonymous) VALUES ($n, 'local', $c, $l, $a)";
            cmd.Parameters.AddWithValue("$n", name);
            cmd.Parameters.AddWithValue("$c", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            cmd.Parameters.AddWithValue("$l", JsonSerializer.Serialize(labels ?? new Dictionary<string, string>(), VolumeJsonContext.Default.IReadOnlyDictionaryStringString));
            cmd.Parameters.AddWithValue("$a", anonymous ? 1 : 0);
            created = await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
            Directory.CreateDirectory(DataDir(name));
        }, cancellationToken).ConfigureAwait(false);
        return (await GetAsync(name, cancellationToken).ConfigureAwait(false), created);
    }

    public async Task<VolumeRecord> GetAsync(string name, CancellationToken cancellationToken = default) =>
        await TryGetAsync(name, cancellationToken).ConfigureAwait(false) ?? throw StrataException.NotFound("VOLUME_NOT_FOUND", $"get {name}: no such volume");

    public async Task<VolumeRecord?> TryGetAsync(string name, CancellationToken cancellationToken = default) =>
        (await QueryAsync("WHERE name = $n", name, cancellationToken).ConfigureAwait(false)).FirstOrDefault();

    public Task<IReadOnlyList<VolumeRecord>> ListAsync(CancellationToken cancellationToken = default) => QueryAsync("ORDER BY name", null, cancellationToken);

    /// <summary>Deletes the record, then the data (a crash in between leaves a directory <c>system check</c> can find, never a record without data).</summary>
    public async Task RemoveAsync(string name, CancellationToken cancellationToken = default)
    {
        var removed = await _db.WriteAsync(async (c, tx, ct) =>
        {
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "DELETE FROM volumes WHERE name = $n";
            cmd.Parameters.AddWithValue("$n", name);
            return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        if (removed == 0)
        {
            throw StrataException.NotFound("VOLUME_NOT_FOUND", $"get {name}: no such volume");
        }

        var dir = Path.Combine(_root, name);
        if (Directory.Exists(dir))
        {
            var trash = Path.Combine(_root, ".removing-" + name + "-" + Guid.NewGuid().ToString("N"));
            Directory.Move(dir, trash);
            Directory.Delete(trash, recursive: true);
        }
    }

    private Task<IReadOnlyList<VolumeRecord>> QueryAsync(string where, string? name, CancellationToken cancellationToken) =>
        _db.ReadAsync<IReadOnlyList<VolumeRecord>>(async (c, ct) =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = $"SELECT name, driver, created, labels, anonymous FROM volumes {where}";
            if (name is not null)
            {
                cmd.Parameters.AddWithValue("$n", name);
            }

            var list = new List<VolumeRecord>();
            await using SqliteDataReader r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                var n = r.GetString(0);
                list.Add(new VolumeRecord(n, r.GetString(1), DateTimeOffset.Parse(r.GetString(2), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                    JsonSerializer.Deserialize(r.GetString(3), VolumeJsonContext.Default.IReadOnlyDictionaryStringString) ?? new Dictionary<string, string>(),
                    r.GetInt64(4) == 1, DataDir(n)));
            }

            return list;
        }, cancellationToken);
}
