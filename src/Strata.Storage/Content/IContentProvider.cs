using Strata.Oci;

namespace Strata.Storage.Content;

/// <summary>Reads committed blobs (containerd content.Provider).</summary>
public interface IContentProvider
{
    /// <summary>Returns the blob's info, or null when it is not in the store.</summary>
    Task<ContentInfo?> InfoAsync(Digest digest, CancellationToken cancellationToken = default);

    /// <summary>Opens a committed blob for reading (seekable); throws NotFound (BLOB_UNKNOWN) when absent.</summary>
    Task<Stream> OpenReadAsync(Digest digest, CancellationToken cancellationToken = default);
}
