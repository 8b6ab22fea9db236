using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Strata.Oci;
using Strata.Storage.Metadata;

namespace Strata.Runtime.Network;

/// <summary>User-defined networks in the metadata database; the predefined <c>bridge</c> is answered from <see cref="NetworkRecord.DefaultBridge"/>.</summary>
public sealed class NetworkStore
{
    private readonly MetadataDb _db;

    public NetworkStore(MetadataDb db) => _db = db;

    /// <summary>
    /// Records a network; <paramref name="check"/> runs inside the write transaction with the networks already
    /// stored, so two concurrent creates never both take a name or subnet.
    /// </summary>
    public Task<NetworkRecord> AddAsync(Func<IReadOnlyList<NetworkRecord>, NetworkRecord> check, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(check);
        return _db.WriteAsync(async (c, tx, ct) =>
        {
            var existing = await QueryAsync(c, tx, string.Empty, null, ct).ConfigureAwait(false);
            var record = check(existing);
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO networks (id, name, subnet, created, record) VALUES ($id, $n, $s, $c, $r)";
            cmd.Parameters.AddWithValue("$id", record.Id);
            cmd.Parameters.AddWithValue("$n", record.Name);
            cmd.Parameters.AddWithValue("$s", record.Subnet);
            cmd.Parameters.AddWithValue("$c", record.Created.ToString("O", CultureInfo.InvariantCulture));
            cmd.Parameters.AddWithValue("$r", JsonSerializer.Serialize(record, NetworkJsonContext.Default.NetworkRecord));
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            return record;
        }, cancellationToken);
    }

    /// <summary>Every network, the predefined bridge first, then by name.</summary>
    public async Task<IReadOnlyList<NetworkRecord>> ListAsync(CancellationToken cancellationToken = default) =>
        [NetworkRecord.DefaultBridge, .. await _db.ReadAsync(async (c, ct) => await QueryAsync(c, null, "ORDER BY name", null, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false)];

    /// <summary>By name, full ID or unique ID prefix (docker's lookup order); null when none.</summary>
    public async Task<NetworkRecord?> TryResolveAsync(string nameOrId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(nameOrId);
        var all = await ListAsync(cancellationToken).ConfigureAwait(false);
        if (all.FirstOrDefault(n => n.Name == nameOrId || n.Id == nameOrId) is { } exact)
        {
            return exact;
        }

        if (!nameOrId.All(char.IsAsciiHexDigitLower))
        {
            return null;
        }

        var byPrefix = all.Where(n => n.Id.StartsWith(nameOrId, StringComparison.Ordinal)).ToList();
        return byPrefix.Count switch
        {
            0 => null,
            1 => byPrefix[0],
            _ => throw StrataException.Invalid(NetworkErrors.Ambiguous, $"network {nameOrId} is ambiguous ({byPrefix.Count} matches found based on ID prefix)"),
        };
    }

    public async Task<NetworkRecord> ResolveAsync(string nameOrId, CancellationToken cancellationToken = default) =>
        await TryResolveAsync(nameOrId, cancellationToken).ConfigureAwait(false)
        ?? throw StrataException.NotFound(NetworkErrors.NotFound, $"network {nameOrId} not found");

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(async (c, tx, ct) =>
        {
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "DELETE FROM networks WHERE id = $id";
            cmd.Parameters.AddWithValue("$id", id);
            return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
        }, cancellationToken);

    private static async Task<List<NetworkRecord>> QueryAsync(SqliteConnection c, SqliteTransaction? tx, string tail, string? key, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"SELECT record FROM networks {tail}";
        if (key is not null)
        {
            cmd.Parameters.AddWithValue("$k", key);
        }

        var list = new List<NetworkRecord>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            list.Add(JsonSerializer.Deserialize(r.GetString(0), NetworkJsonContext.Default.NetworkRecord)
                ?? throw StrataException.DataLoss("NETWORK_RECORD", "a network record is empty"));
        }

        return list;
    }
}
