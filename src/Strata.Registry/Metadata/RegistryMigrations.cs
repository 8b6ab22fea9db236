using Strata.Storage.Metadata;

namespace Strata.Registry.Metadata;

/// <summary>
/// The registry's schema, per backend (SQLite: its own database file, registry.db; PostgreSQL: the
/// database named in <c>--metadata</c>); the same tables and columns on both. Blobs live in the content store; the
/// database says which blobs exist (<c>blobs</c>), which repository may serve them (<c>repo_blobs</c>,
/// distribution's "links"), which manifests a repository holds and what they reference, tags, users,
/// access rules, quotas and upload sessions. Catalog, tag listing and the UI never walk the disk.
/// </summary>
public static class RegistryMigrations
{
    public const string Area = "registry";

    public static IReadOnlyList<Migration> Sqlite { get; } =
    [
        new(Area, 1, """
            CREATE TABLE blobs (
                digest     TEXT PRIMARY KEY,
                size       INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                touched_at INTEGER NOT NULL
            );
            CREATE TABLE repositories (
                name       TEXT PRIMARY KEY,
                created_at INTEGER NOT NULL,
                last_push  INTEGER
            );
            CREATE TABLE repo_blobs (
                repo      TEXT NOT NULL REFERENCES repositories(name) ON DELETE CASCADE,
                digest    TEXT NOT NULL REFERENCES blobs(digest) ON DELETE CASCADE,
                linked_at INTEGER NOT NULL,
                PRIMARY KEY (repo, digest)
            );
            CREATE INDEX repo_blobs_digest ON repo_blobs(digest);
            CREATE TABLE manifests (
                repo          TEXT NOT NULL REFERENCES repositories(name) ON DELETE CASCADE,
                digest        TEXT NOT NULL,
                media_type    TEXT NOT NULL,
                size          INTEGER NOT NULL,
                total_size    INTEGER NOT NULL,
                artifact_type TEXT,
                subject       TEXT,
                platforms     TEXT,
                annotations   TEXT,
                created_at    INTEGER NOT NULL,
                PRIMARY KEY (repo, digest)
            );
            CREATE INDEX manifests_subject ON manifests(repo, subject);
            CREATE INDEX manifests_digest ON manifests(digest);
            CREATE TABLE manifest_refs (
                repo     TEXT NOT NULL,
                manifest TEXT NOT NULL,
                target   TEXT NOT NULL,
                kind     TEXT NOT NULL,
                PRIMARY KEY (repo, manifest, target),
                FOREIGN KEY (repo, manifest) REFERENCES manifests(repo, digest) ON DELETE CASCADE
            );
            CREATE INDEX manifest_refs_target ON manifest_refs(target);
            CREATE TABLE tags (
                repo      TEXT NOT NULL REFERENCES repositories(name) ON DELETE CASCADE,
                name      TEXT NOT NULL,
                digest    TEXT NOT NULL,
                pushed_at INTEGER NOT NULL,
                PRIMARY KEY (repo, name),
                FOREIGN KEY (repo, digest) REFERENCES manifests(repo, digest) ON DELETE CASCADE
            );
            CREATE INDEX tags_digest ON tags(repo, digest);
            CREATE TABLE uploads (
                id         TEXT PRIMARY KEY,
                repo       TEXT NOT NULL,
                started_at INTEGER NOT NULL
            );
            CREATE TABLE users (
                name       TEXT PRIMARY KEY,
                hash       TEXT NOT NULL,
                admin      INTEGER NOT NULL DEFAULT 0,
                groups     TEXT NOT NULL DEFAULT '',
                created_at INTEGER NOT NULL
            );
            CREATE TABLE access_rules (
                id       INTEGER PRIMARY KEY AUTOINCREMENT,
                subject  TEXT NOT NULL,
                pattern  TEXT NOT NULL,
                actions  TEXT NOT NULL,
                UNIQUE (subject, pattern)
            );
            CREATE TABLE quotas (
                pattern TEXT PRIMARY KEY,
                bytes   INTEGER NOT NULL
            );
            """),

        // Upload sessions resumable on any replica: progress and the blob store's state live here.
        new(Area, 2, """
            ALTER TABLE uploads ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
            UPDATE uploads SET updated_at = started_at;
            ALTER TABLE uploads ADD COLUMN size INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE uploads ADD COLUMN state TEXT;
            ALTER TABLE uploads ADD COLUMN tail BLOB;
            ALTER TABLE uploads ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
            """),
    ];

    public static IReadOnlyList<Migration> Postgres { get; } =
    [
        new(Area, 1, """
            CREATE TABLE blobs (
                digest     TEXT PRIMARY KEY,
                size       BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                touched_at BIGINT NOT NULL
            );
            CREATE TABLE repositories (
                name       TEXT PRIMARY KEY,
                created_at BIGINT NOT NULL,
                last_push  BIGINT
            );
            CREATE TABLE repo_blobs (
                repo      TEXT NOT NULL REFERENCES repositories(name) ON DELETE CASCADE,
                digest    TEXT NOT NULL REFERENCES blobs(digest) ON DELETE CASCADE,
                linked_at BIGINT NOT NULL,
                PRIMARY KEY (repo, digest)
            );
            CREATE INDEX repo_blobs_digest ON repo_blobs(digest);
            CREATE TABLE manifests (
                repo          TEXT NOT NULL REFERENCES repositories(name) ON DELETE CASCADE,
                digest        TEXT NOT NULL,
                media_type    TEXT NOT NULL,
                size          BIGINT NOT NULL,
                total_size    BIGINT NOT NULL,
                artifact_type TEXT,
                subject       TEXT,
                platforms     TEXT,
                annotations   TEXT,
                created_at    BIGINT NOT NULL,
                PRIMARY KEY (repo, digest)
            );
            CREATE INDEX manifests_subject ON manifests(repo, subject);
            CREATE INDEX manifests_digest ON manifests(digest);
            CREATE TABLE manifest_refs (
                repo     TEXT NOT NULL,
                manifest TEXT NOT NULL,
                target   TEXT NOT NULL,
                kind     TEXT NOT NULL,
                PRIMARY KEY (repo, manifest, target),
                FOREIGN KEY (repo, manifest) REFERENCES manifests(repo, digest) ON DELETE CASCADE
            );
            CREATE INDEX manifest_refs_target ON manifest_refs(target);
            CREATE TABLE tags (
                repo      TEXT NOT NULL REFERENCES repositories(name) ON DELETE CASCADE,
                name      TEXT NOT NULL,
                digest    TEXT NOT NULL,
                pushed_at BIGINT NOT NULL,
                PRIMARY KEY (repo, name),
                FOREIGN KEY (repo, digest) REFERENCES manifests(repo, digest) ON DELETE CASCADE
            );
            CREATE INDEX tags_digest ON tags(repo, digest);
            CREATE TABLE uploads (
                id         TEXT PRIMARY KEY,
                repo       TEXT NOT NULL,
                started_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                size       BIGINT NOT NULL DEFAULT 0,
                state      TEXT,
                tail       BYTEA,
                version    BIGINT NOT NULL DEFAULT 1
            );
            CREATE TABLE users (
                name       TEXT PRIMARY KEY,
                hash       TEXT NOT NULL,
                admin      BIGINT NOT NULL DEFAULT 0,
                groups     TEXT NOT NULL DEFAULT '',
                created_at BIGINT NOT NULL
            );
            CREATE TABLE access_rules (
                id       BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                subject  TEXT NOT NULL,
                pattern  TEXT NOT NULL,
                actions  TEXT NOT NULL,
                UNIQUE (subject, pattern)
            );
            CREATE TABLE quotas (
                pattern TEXT PRIMARY KEY,
                bytes   BIGINT NOT NULL
            );
            """),
    ];
}
