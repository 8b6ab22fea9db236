using Strata.Storage.Metadata;

namespace Strata.Build.Caching;

/// <summary>The "build" area schema: one row per cached build step.</summary>
public static class BuildMigrations
{
    public const string Area = "build";

    public static IReadOnlyList<Migration> All { get; } =
    [
        new(Area, 1, """
            CREATE TABLE build_cache (
                key           TEXT PRIMARY KEY,
                config_digest TEXT NOT NULL,
                layers        TEXT NOT NULL,
                chain_id      TEXT,
                created       TEXT NOT NULL,
                last_used     TEXT NOT NULL
            );
            CREATE INDEX build_cache_config ON build_cache(config_digest);
            """),
    ];
}
