using Strata.Storage.Metadata;

namespace Strata.Runtime.Network;

/// <summary>The "networks" area schema: user-defined networks (the predefined bridge, host and none are not stored).</summary>
public static class NetworkMigrations
{
    public const string Area = "networks";

    public static IReadOnlyList<Migration> All { get; } =
    [
        new(Area, 1, """
            CREATE TABLE networks (
                id       TEXT PRIMARY KEY,
                name     TEXT NOT NULL UNIQUE,
                subnet   TEXT NOT NULL UNIQUE,
                created  TEXT NOT NULL,
                record   TEXT NOT NULL
            );
            """),
    ];
}
