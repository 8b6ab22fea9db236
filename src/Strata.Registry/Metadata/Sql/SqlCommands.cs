using System.Data.Common;
using System.Globalization;

namespace Strata.Registry.Metadata.Sql;

/// <summary>Parameterized commands over any ADO.NET provider; parameters are written <c>@name</c> (both SQLite and Npgsql read that).</summary>
internal static class SqlCommands
{
    public static DbCommand Create(DbConnection c, DbTransaction? tx, string sql, params (string Name, object? Value)[] args)
    {
        var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (name, value) in args)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            cmd.Parameters.Add(p);
        }

        return cmd;
    }

    public static async Task<int> ExecAsync(DbConnection c, DbTransaction? tx, CancellationToken ct, string sql, params (string Name, object? Value)[] args)
    {
        await using var cmd = Create(c, tx, sql, args);
        return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public static async Task<T?> ScalarAsync<T>(DbConnection c, DbTransaction? tx, CancellationToken ct, string sql, params (string Name, object? Value)[] args)
    {
        await using var cmd = Create(c, tx, sql, args);
        var v = await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
        if (v is null or DBNull)
        {
            return default;
        }

        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return v is T t ? t : (T)Convert.ChangeType(v, target, CultureInfo.InvariantCulture);
    }

    public static async Task<List<T>> QueryAsync<T>(DbConnection c, DbTransaction? tx, CancellationToken ct, Func<DbDataReader, T> map, string sql, params (string Name, object? Value)[] args)
    {
        await using var cmd = Create(c, tx, sql, args);
        var list = new List<T>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            list.Add(map(r));
        }

        return list;
    }

    /// <summary>An integer column (INTEGER on SQLite, BIGINT on PostgreSQL).</summary>
    public static long Int(DbDataReader r, int i) => Convert.ToInt64(r.GetValue(i), CultureInfo.InvariantCulture);

    public static string? Text(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    public static DateTimeOffset Time(DbDataReader r, int i) => DateTimeOffset.FromUnixTimeMilliseconds(Int(r, i));
}
