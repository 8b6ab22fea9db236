using Strata.Oci;
using Strata.Registry.Metadata.Sql;

namespace Strata.Registry.Metadata;

/// <summary>
/// The registry's metadata, by responsibility: blob links and quotas' usage, manifests and tags,
/// listings, upload sessions, users/rules/quotas, and garbage collection. One database behind all
/// of them: SQLite on one machine (<c>sqlite:PATH</c>, the default) or PostgreSQL shared by replicas
/// (<c>postgres://...</c>); the same SQL and transaction rules on both.
/// </summary>
public sealed class RegistryMetadata : IAsyncDisposable
{
    private readonly RegistryDatabase _db;

    public RegistryMetadata(RegistryDatabase db, TimeProvider? time = null)
    {
        _db = db;
        Time = time ?? TimeProvider.System;
        Blobs = new SqlBlobLinkStore(db, Time);
        Manifests = new SqlManifestStore(db, Time);
        Catalog = new SqlRepositoryCatalog(db, Time);
        Uploads = new SqlUploadSessionStore(db, Time);
        Access = new SqlAccessStore(db, Time);
        Gc = new SqlGcStore(db, Time);
    }

    public TimeProvider Time { get; }

    /// <summary>Where the metadata lives (<c>sqlite:/path/registry.db</c>, <c>postgres://user@host:port/db</c>).</summary>
    public string Location => _db.Location;

    public IBlobLinkStore Blobs { get; }

    public IManifestStore Manifests { get; }

    public IRepositoryCatalog Catalog { get; }

    public IUploadSessionStore Uploads { get; }

    public IAccessStore Access { get; }

    public IGcStore Gc { get; }

    /// <summary>
    /// Opens <paramref name="spec"/>: <c>sqlite:PATH</c> or <c>postgres://...</c>; null or empty is
    /// <c>registry.db</c> under <paramref name="dataDir"/>. Pending migrations are applied.
    /// </summary>
    public static async Task<RegistryMetadata> OpenAsync(string? spec, string dataDir, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        RegistryDatabase db;
        if (string.IsNullOrEmpty(spec))
        {
            db = await SqliteRegistryDatabase.OpenAsync(Path.Combine(dataDir, "registry.db"), cancellationToken).ConfigureAwait(false);
        }
        else if (spec.StartsWith("sqlite:", StringComparison.Ordinal) && spec.Length > "sqlite:".Length)
        {
            db = await SqliteRegistryDatabase.OpenAsync(spec["sqlite:".Length..], cancellationToken).ConfigureAwait(false);
        }
        else if (spec.StartsWith("postgres://", StringComparison.Ordinal) || spec.StartsWith("postgresql://", StringComparison.Ordinal))
        {
            db = await PostgresRegistryDatabase.OpenAsync(spec, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            throw StrataException.Invalid(RegistryErrors.BackendInvalid, $"unknown metadata store {spec}: use sqlite:PATH or postgres://user:password@host:port/database");
        }

        return new RegistryMetadata(db, time);
    }

    /// <summary>Throws REGISTRY_METADATA_UNAVAILABLE (or the provider's error) when the database does not answer.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _db.CheckAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or IOException)
        {
            throw StrataException.Unavailable(RegistryErrors.MetadataUnavailable, $"metadata store {Location} unavailable: {e.Message}", e);
        }
    }

    public ValueTask DisposeAsync() => _db.DisposeAsync();
}
