using Strata.Oci;
using Strata.Registry.Metadata;

namespace Strata.Registry.Blobs;

/// <summary>
/// The bytes of chunked blob uploads. A session's identity and progress are a <see cref="StoredUpload"/>
/// in the metadata store, so any replica can take the next chunk.
/// </summary>
public interface IBlobUploads
{
    /// <summary>Bytes received so far.</summary>
    Task<long> UploadOffsetAsync(StoredUpload upload, CancellationToken cancellationToken);

    /// <summary>
    /// Appends a chunk. <paramref name="checkStart"/> sees the current offset first (and throws to refuse
    /// an out-of-order chunk). Returns the new offset. UPLOAD_BUSY / INGEST_LOCKED while another request writes.
    /// </summary>
    Task<long> AppendAsync(StoredUpload upload, Stream data, Action<long> checkStart, CancellationToken cancellationToken);

    /// <summary>
    /// Appends the last chunk (when <paramref name="data"/> is not null), verifies the digest and makes the
    /// blob visible under it; returns its size. DataLoss DIGEST_MISMATCH discards the upload.
    /// </summary>
    Task<long> CompleteAsync(StoredUpload upload, Stream? data, Action<long> checkStart, Digest digest, CancellationToken cancellationToken);

    /// <summary>Drops an upload and whatever it stored.</summary>
    Task AbortAsync(StoredUpload upload, CancellationToken cancellationToken);
}
