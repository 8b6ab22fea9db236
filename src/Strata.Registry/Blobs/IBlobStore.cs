using Strata.Oci;
using Strata.Storage.Content;

namespace Strata.Registry.Blobs;

/// <summary>
/// Where the registry keeps blob bytes (layers, configs, manifests), addressed by digest: a local
/// directory (<c>fs:DIR</c>) or an S3 bucket (<c>s3://BUCKET/prefix</c>). Which repository may
/// serve a blob is the metadata store's business, not this one's.
/// </summary>
public interface IBlobStore
{
    /// <summary>Where the blobs live, for messages (<c>fs:/dir</c>, <c>s3://bucket/prefix</c>).</summary>
    string Location { get; }

    /// <summary>Throws REGISTRY_BLOB_STORE_UNAVAILABLE when the store cannot be reached or used.</summary>
    Task CheckAsync(CancellationToken cancellationToken);

    /// <summary>The stored size of a blob, or null when it is not there.</summary>
    Task<long?> SizeAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>Reads <paramref name="length"/> bytes (to the end when null) from <paramref name="offset"/>; BLOB_UNKNOWN when absent.</summary>
    Task<Stream> OpenReadAsync(Digest digest, long offset, long? length, CancellationToken cancellationToken);

    /// <summary>The blob's file when the store is a local directory (the server sends it with sendfile), else null.</summary>
    string? LocalPath(Digest digest);

    /// <summary>A time-limited URL a client may fetch the blob from directly (presigned S3 GET), or null when the store has none.</summary>
    Task<Uri?> RedirectUrlAsync(Digest digest, TimeSpan lifetime, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a whole blob, verifying size (when given) and digest before it becomes visible;
    /// returns its size. A blob already there is success. DataLoss SIZE_MISMATCH / DIGEST_MISMATCH.
    /// </summary>
    Task<long> PutAsync(Digest digest, Stream content, long? expectedSize, CancellationToken cancellationToken);

    /// <summary>Deletes a blob; false when it was not there.</summary>
    Task<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>Every stored blob (to find what a crash left without a metadata row).</summary>
    IAsyncEnumerable<ContentInfo> ListAsync(CancellationToken cancellationToken);

    /// <summary>Removes scratch data (interrupted writes that no upload session owns) older than <paramref name="before"/>.</summary>
    Task SweepScratchAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
