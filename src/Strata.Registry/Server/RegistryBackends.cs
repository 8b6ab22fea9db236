using Strata.Oci;
using Strata.Registry.Blobs;
using Strata.Registry.Metadata;

namespace Strata.Registry.Server;

/// <summary>Opens the metadata and blob stores a registry (server, gc, migrate) runs on, checking both before use.</summary>
public static class RegistryBackends
{
    /// <summary>
    /// Opens both stores and checks they answer. A failure is one StrataException whose message names
    /// the component (<c>metadata store postgres://...: ...</c>, <c>blob store s3://...: ...</c>).
    /// </summary>
    public static async Task<(RegistryMetadata Metadata, IRegistryBlobStore Blobs)> OpenAsync(
        string? metadata, string? blobStore, S3Settings s3, string dataDir, CancellationToken cancellationToken)
    {
        RegistryMetadata meta;
        try
        {
            meta = await RegistryMetadata.OpenAsync(metadata, dataDir, null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not StrataException and not OperationCanceledException)
        {
            throw StrataException.Unavailable(RegistryErrors.MetadataUnavailable, $"metadata store {metadata ?? "sqlite"}: {e.Message}", e);
        }

        try
        {
            var blobs = RegistryBlobStores.Open(blobStore, dataDir, s3, meta.Uploads);
            try
            {
                await blobs.CheckAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await blobs.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            return (meta, blobs);
        }
        catch
        {
            await meta.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
