using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Strata.Oci;
using Strata.Storage.Metadata;

namespace Strata.Runtime.Containers;

/// <summary>Containers in the metadata database: lookup by name or (short) ID, with docker's wording.</summary>
public sealed class ContainerStore
{
    private const string Columns = "id, name, created, spec, state";
    private readonly MetadataDb _db;

    public ContainerStore(MetadataDb db) => _db = db;

    public async Task AddAsync(ContainerRecord container, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(container);
        await _db.WriteAsync(async (c, tx, ct) =>
        {
            if (await NameTakenAsync(c, tx, container.Name, ct).ConfigureAwait(false) is { } other)
            {
                throw NameConflict(container.Name, other);
            }

            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO containers (id, name, image_id, created, spec, state) VALUES ($id, $name, $image, $created, $spec, $state)";
            cmd.Parameters.AddWithValue("$id", container.Id);
            cmd.Parameters.AddWithValue("$name", container.Name);
            cmd.Parameters.AddWithValue("$image", container.Spec.ImageId);
            cmd.Parameters.AddWithValue("$created", container.Created.ToString("O", CultureInfo.InvariantCulture));
            cmd.Parameters.AddWithValue("$spec", JsonSerializer.Serialize(container.Spec, RuntimeJsonContext.Default.ContainerSpec));
            cmd.Parameters.AddWithValue("$state", JsonSerializer.Serialize(container.State, RuntimeJsonContext.Default.ContainerState));
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Finds a container by full name, full ID or unique ID prefix; NotFound with docker's wording.</summary>
    public async Task<ContainerRecord> ResolveAsync(string nameOrId, CancellationToken cancellationToken = default) =>
        await TryResolveAsync(nameOrId, cancellationToken).ConfigureAwait(false)
        ?? throw StrataException.NotFound("CONTAINER_NOT_FOUND", $"No such container: {nameOrId}");

    public async Task<ContainerRecord?> TryResolveAsync(string nameOrId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(nameOrId);
        var key = nameOrId.TrimStart('/');
        return await _db.ReadAsync(async (c, ct) =>
        {
            var byName = await QueryAsync(c, "WHERE name = $k OR id = $k", key, ct).ConfigureAwait(false);
            if (byName.Count > 0)
            {
                return byName[0];
            }

            if (key.Length < 1 || !key.All(char.IsAsciiHexDigitLower))
            {
                return null;
            }

            var byPrefix = await QueryAsync(c, "WHERE id LIKE $k || '%'", key, ct).ConfigureAwait(false);
            return byPrefix.Count switch
            {
                0 => null,
                1 => byPrefix[0],
                _ => throw StrataException.Invalid("CONTAINER_AMBIGUOUS", $"multiple containers found with provided prefix: {key}"),
            };
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<ContainerRecord>> ListAsync(CancellationToken cancellationToken = default) =>
        _db.ReadAsync<IReadOnlyList<ContainerRecord>>(async (c, ct) => await QueryAsync(c, "ORDER BY created DESC", null, ct).ConfigureAwait(false), cancellationToken);

    /// <summary>Containers created from the image with config digest <paramref name="imageId"/>.</summary>
    public Task<IReadOnlyList<ContainerRecord>> UsingImageAsync(string imageId, CancellationToken cancellationToken = default) =>
        _db.ReadAsync<IReadOnlyList<ContainerRecord>>(async (c, ct) =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = $"SELECT {Columns} FROM containers WHERE image_id = $k";
            cmd.Parameters.AddWithValue("$k", imageId);
            return await ReadAllAsync(cmd, ct).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Changes the state under the database lock: <paramref name="update"/> sees the current state.</summary>
    public Task<ContainerRecord> UpdateStateAsync(string id, Func<ContainerState, ContainerState> update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        return _db.WriteAsync(async (c, tx, ct) =>
        {
            await using var read = c.CreateCommand();
            read.Transaction = tx;
            read.CommandText = $"SELECT {Columns} FROM containers WHERE id = $k";
            read.Parameters.AddWithValue("$k", id);
            var current = (await ReadAllAsync(read, ct).ConfigureAwait(false)).FirstOrDefault()
                ?? throw StrataException.NotFound("CONTAINER_NOT_FOUND", $"No such container: {id}");
            var next = update(current.State);
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "UPDATE containers SET state = $state WHERE id = $id";
            cmd.Parameters.AddWithValue("$id", id);
            cmd.Parameters.AddWithValue("$state", JsonSerializer.Serialize(next, RuntimeJsonContext.Default.ContainerState));
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            return current with { State = next };
        }, cancellationToken);
    }

    /// <summary>Changes the spec under the database lock (network connect/disconnect): <paramref name="update"/> sees the current record.</summary>
    public Task<ContainerRecord> UpdateSpecAsync(string id, Func<ContainerRecord, ContainerSpec> update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        return _db.WriteAsync(async (c, tx, ct) =>
        {
            await using var read = c.CreateCommand();
            read.Transaction = tx;
            read.CommandText = $"SELECT {Columns} FROM containers WHERE id = $k";
            read.Parameters.AddWithValue("$k", id);
            var current = (await ReadAllAsync(read, ct).ConfigureAwait(false)).FirstOrDefault()
                ?? throw StrataException.NotFound("CONTAINER_NOT_FOUND", $"No such container: {id}");
            var next = update(current);
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "UPDATE containers SET spec = $spec WHERE id = $id";
            cmd.Parameters.AddWithValue("$id", id);
            cmd.Parameters.AddWithValue("$spec", JsonSerializer.Serialize(next, RuntimeJsonContext.Default.ContainerSpec));
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            return current with { Spec = next };
        }, cancellationToken);
    }

    public Task RenameAsync(string id, string newName, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(async (c, tx, ct) =>
        {
            if (await NameTakenAsync(c, tx, newName, ct).ConfigureAwait(false) is { } other && other != id)
            {
                throw NameConflict(newName, other);
            }

            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "UPDATE containers SET name = $name WHERE id = $id";
            cmd.Parameters.AddWithValue("$id", id);
            cmd.Parameters.AddWithValue("$name", newName);
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken);

    public Task DeleteAsync(string id, CancellationToken cancellationToken = default) =>
        _db.WriteAsync(async (c, tx, ct) =>
        {
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "DELETE FROM containers WHERE id = $id";
            cmd.Parameters.AddWithValue("$id", id);
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken);

    public Task<bool> NameExistsAsync(string name, CancellationToken cancellationToken = default) =>
        _db.ReadAsync(async (c, ct) => await NameTakenAsync(c, null, name, ct).ConfigureAwait(false) is not null, cancellationToken);

    private static StrataException NameConflict(string name, string otherId) =>
        new(ErrorKind.Conflict, "CONTAINER_NAME_CONFLICT",
            $"Conflict. The container name \"/{name}\" is already in use by container \"{otherId}\". You have to remove (or rename) that container to be able to reuse that name.");

    private static async Task<string?> NameTakenAsync(SqliteConnection c, SqliteTransaction? tx, string name, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT id FROM containers WHERE name = $n";
        cmd.Parameters.AddWithValue("$n", name);
        return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
    }

    private static async Task<List<ContainerRecord>> QueryAsync(SqliteConnection c, string where, string? key, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT {Columns} FROM containers {where}";
        if (key is not null)
        {
            cmd.Parameters.AddWithValue("$k", key);
        }

        return await ReadAllAsync(cmd, ct).ConfigureAwait(false);
    }

    private static async Task<List<ContainerRecord>> ReadAllAsync(SqliteCommand cmd, CancellationToken ct)
    {
        var list = new List<ContainerRecord>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            list.Add(new ContainerRecord
            {
                Id = r.GetString(0),
                Name = r.GetString(1),
                Created = DateTimeOffset.Parse(r.GetString(2), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                Spec = JsonSerializer.Deserialize(r.GetString(3), RuntimeJsonContext.Default.ContainerSpec)
                    ?? throw StrataException.DataLoss("CONTAINER_SPEC", $"container {r.GetString(0)} has no spec"),
                State = JsonSerializer.Deserialize(r.GetString(4), RuntimeJsonContext.Default.ContainerState) ?? new ContainerState(),
            });
        }

        return list;
    }
}
