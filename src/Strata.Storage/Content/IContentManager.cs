using Strata.Oci;

namespace Strata.Storage.Content;

/// <summary>Lists and deletes blobs and ingests (containerd content.Manager + IngestManager).</summary>
public interface IContentManager
{
    IAsyncEnumerable<ContentInfo> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes a blob; returns false when it was not there.</summary>
    Task<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken = default);

    IAsyncEnumerable<IngestStatus> ListIngestsAsync(CancellationToken cancellationToken = default);

    Task<IngestStatus?> IngestStatusAsync(string ingestRef, CancellationToken cancellationToken = default);

    Task AbortIngestAsync(string ingestRef, CancellationToken cancellationToken = default);
}
