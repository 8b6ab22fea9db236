namespace Strata.Registry.Maintenance;

/// <summary>What <see cref="RegistryMigrator"/> copied: repositories, manifests, tags, blobs (and their bytes), users, rules, quotas.</summary>
public sealed record MigrationReport(int Repositories, int Manifests, int Tags, int Blobs, long BlobBytes, int Users, int Rules, int Quotas, TimeSpan Elapsed);
