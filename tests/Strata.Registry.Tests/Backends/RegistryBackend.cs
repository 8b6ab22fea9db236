namespace Strata.Registry.Tests.Backends;

/// <summary>Which stores a test registry runs on: SQLite + fs (none set), PostgreSQL and/or S3.</summary>
[Flags]
public enum RegistryBackend
{
    SqliteFs = 0,
    Postgres = 1,
    S3 = 2,
    PostgresS3 = Postgres | S3,
}
