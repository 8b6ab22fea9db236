using System.Data.Common;
using static Strata.Registry.Metadata.Sql.SqlCommands;

namespace Strata.Registry.Metadata.Sql;

public sealed class SqlUploadSessionStore(RegistryDatabase db, TimeProvider time) : SqlStore(db, time), IUploadSessionStore
{
    internal const string Columns = "id, repo, started_at, size, state, tail, version";

    public Task<StoredUpload> CreateUploadAsync(string id, string repo, CancellationToken cancellationToken) =>
        Db.WriteAsync(async (c, tx, ct) =>
        {
            var now = Now;
            await ExecAsync(c, tx, ct, "INSERT INTO uploads (id, repo, started_at, updated_at, size, version) VALUES (@i, @r, @n, @n, 0, 1)",
                ("@i", id), ("@r", repo), ("@n", now)).ConfigureAwait(false);
            return new StoredUpload(id, repo, DateTimeOffset.FromUnixTimeMilliseconds(now)) { Version = 1 };
        }, cancellationToken);

    public Task<StoredUpload?> GetUploadAsync(string id, CancellationToken cancellationToken) =>
        Db.ReadAsync(async (c, ct) =>
            (await QueryAsync(c, null, ct, Map, $"SELECT {Columns} FROM uploads WHERE id = @i", ("@i", id)).ConfigureAwait(false)).FirstOrDefault(),
            cancellationToken);

    public Task<StoredUpload?> UpdateUploadAsync(StoredUpload upload, CancellationToken cancellationToken) =>
        Db.WriteAsync<StoredUpload?>(async (c, tx, ct) =>
        {
            var n = await ExecAsync(c, tx, ct,
                "UPDATE uploads SET size = @s, state = @st, tail = @t, updated_at = @n, version = version + 1 WHERE id = @i AND version = @v",
                ("@s", upload.Offset), ("@st", upload.State), ("@t", upload.Tail.Length == 0 ? null : upload.Tail.ToArray()),
                ("@n", Now), ("@i", upload.Id), ("@v", upload.Version)).ConfigureAwait(false);
            return n == 0 ? null : upload with { Version = upload.Version + 1 };
        }, cancellationToken);

    public Task DeleteUploadAsync(string id, CancellationToken cancellationToken) =>
        Db.WriteAsync((c, tx, ct) => ExecAsync(c, tx, ct, "DELETE FROM uploads WHERE id = @i", ("@i", id)), cancellationToken);

    internal static StoredUpload Map(DbDataReader r) => new(r.GetString(0), r.GetString(1), Time(r, 2))
    {
        Offset = Int(r, 3),
        State = Text(r, 4),
        Tail = r.IsDBNull(5) ? ReadOnlyMemory<byte>.Empty : (byte[])r.GetValue(5),
        Version = Int(r, 6),
    };
}
