using Strata.Storage.Metadata;

namespace Strata.Storage.Snapshots;

/// <summary>Schema of the "snapshots" area: one row per snapshot (its numeric id names its directory), labels, the driver.</summary>
public static class SnapshotMigrations
{
    public const string Area = "snapshots";

    public static IEnumerable<Migration> All { get; } =
    [
        new(Area, 1, """
            CREATE TABLE snapshots (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                key TEXT NOT NULL UNIQUE,
                parent_id INTEGER REFERENCES snapshots(id),
                kind INTEGER NOT NULL,
                created_at INTEGER NOT NULL
            );
            CREATE INDEX snapshots_parent ON snapshots(parent_id);
            CREATE TABLE snapshot_labels (
                snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (snapshot_id, name)
            );
            CREATE TABLE snapshot_driver (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                driver TEXT NOT NULL
            );
            """),
    ];
}
