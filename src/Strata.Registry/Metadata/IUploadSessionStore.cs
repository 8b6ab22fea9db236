namespace Strata.Registry.Metadata;

/// <summary>Blob upload sessions, kept in the metadata store so any replica can continue one.</summary>
public interface IUploadSessionStore
{
    Task<StoredUpload> CreateUploadAsync(string id, string repo, CancellationToken cancellationToken);

    Task<StoredUpload?> GetUploadAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Saves a session's progress if nobody saved it since <paramref name="upload"/> was read (its
    /// <see cref="StoredUpload.Version"/>); returns the saved session, or null when another request won.
    /// </summary>
    Task<StoredUpload?> UpdateUploadAsync(StoredUpload upload, CancellationToken cancellationToken);

    Task DeleteUploadAsync(string id, CancellationToken cancellationToken);
}
