using Strata.Storage.Metadata;

namespace Strata.Runtime.Containers;

/// <summary>The "runtime" area schema: containers (spec and state as JSON) and named volumes.</summary>
public static class RuntimeMigrations
{
    public const string Area = "runtime";

    public static IReadOnlyList<Migration> All { get; } =
    [
        new(Area, 1, """
            CREATE TABLE containers (
                id       TEXT PRIMARY KEY,
                name     TEXT NOT NULL UNIQUE,
                image_id TEXT NOT NULL,
                created  TEXT NOT NULL,
                spec     TEXT NOT NULL,
                state    TEXT NOT NULL
            );
            CREATE INDEX containers_image ON containers(image_id);
            CREATE TABLE volumes (
                name    TEXT PRIMARY KEY,
                driver  TEXT NOT NULL,
                created TEXT NOT NULL,
                labels  TEXT NOT NULL,
                anonymous INTEGER NOT NULL DEFAULT 0
            );
            """),
    ];
}
