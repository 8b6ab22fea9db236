using Strata.Oci;
using Strata.Registry.Metadata;
using Strata.Storage.Content;

namespace Strata.Registry.Blobs;

/// <summary>
/// Blobs in a local directory (<c>fs:DIR</c>, the default <c>DATA_DIR/content</c>): the content
/// store's verified ingest, fsync and atomic rename; an upload session is an ingest, so its bytes
/// survive a restart and a client resumes from the offset.
/// </summary>
public sealed class FileBlobStore : IRegistryBlobStore
{
    private const string UploadPrefix = "upload-";

    public FileBlobStore(string root) => Content = new LocalContentStore(root);

    public LocalContentStore Content { get; }

    public string Location => "fs:" + Content.Root;

    public Task CheckAsync(CancellationToken cancellationToken) =>
        Directory.Exists(Content.Root)
            ? Task.CompletedTask
            : throw StrataException.Unavailable(RegistryErrors.BlobStoreUnavailable, $"blob store {Location}: directory missing");

    public async Task<long?> SizeAsync(Digest digest, CancellationToken cancellationToken) =>
        (await Content.InfoAsync(digest, cancellationToken).ConfigureAwait(false))?.Size;

    public async Task<Stream> OpenReadAsync(Digest digest, long offset, long? length, CancellationToken cancellationToken)
    {
        var s = await Content.OpenReadAsync(digest, cancellationToken).ConfigureAwait(false);
        s.Seek(offset, SeekOrigin.Begin);
        return s;
    }

    public string? LocalPath(Digest digest) => Content.BlobPath(digest);

    public Task<Uri?> RedirectUrlAsync(Digest digest, TimeSpan lifetime, CancellationToken cancellationToken) => Task.FromResult<Uri?>(null);

    public async Task<long> PutAsync(Digest digest, Stream content, long? expectedSize, CancellationToken cancellationToken)
    {
        await using (var writer = await Content.OpenWriterAsync($"put-{digest.Encoded}-{Guid.NewGuid():N}", cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await writer.CopyFromAsync(content, cancellationToken).ConfigureAwait(false);
                await writer.CommitAsync(expectedSize, digest, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not StrataException { Kind: ErrorKind.DataLoss })
            {
                await writer.AbortAsync(CancellationToken.None).ConfigureAwait(false);
                throw;
            }
        }

        return await CommittedSizeAsync(digest, cancellationToken).ConfigureAwait(false);
    }

    public Task<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken) => Content.DeleteAsync(digest, cancellationToken);

    public IAsyncEnumerable<ContentInfo> ListAsync(CancellationToken cancellationToken) => Content.ListAsync(cancellationToken);

    public async Task SweepScratchAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        // Ingests no session owns (proxy fetches, manifest writes interrupted by a crash).
        await foreach (var ingest in Content.ListIngestsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!ingest.Ref.StartsWith(UploadPrefix, StringComparison.Ordinal) && ingest.UpdatedAt < before)
            {
                await Content.AbortIngestAsync(ingest.Ref, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async Task<long> UploadOffsetAsync(StoredUpload upload, CancellationToken cancellationToken) =>
        (await Content.IngestStatusAsync(UploadPrefix + upload.Id, cancellationToken).ConfigureAwait(false))?.Offset ?? 0;

    public async Task<long> AppendAsync(StoredUpload upload, Stream data, Action<long> checkStart, CancellationToken cancellationToken)
    {
        await using var writer = await Content.OpenWriterAsync(UploadPrefix + upload.Id, cancellationToken).ConfigureAwait(false);
        checkStart(writer.Offset);
        await writer.CopyFromAsync(data, cancellationToken).ConfigureAwait(false);
        return writer.Offset;
    }

    public async Task<long> CompleteAsync(StoredUpload upload, Stream? data, Action<long> checkStart, Digest digest, CancellationToken cancellationToken)
    {
        await using (var writer = await Content.OpenWriterAsync(UploadPrefix + upload.Id, cancellationToken).ConfigureAwait(false))
        {
            if (data is not null)
            {
                checkStart(writer.Offset);
                await writer.CopyFromAsync(data, cancellationToken).ConfigureAwait(false);
            }

            await writer.CommitAsync(null, digest, cancellationToken).ConfigureAwait(false);
        }

        return await CommittedSizeAsync(digest, cancellationToken).ConfigureAwait(false);
    }

    public Task AbortAsync(StoredUpload upload, CancellationToken cancellationToken) => Content.AbortIngestAsync(UploadPrefix + upload.Id, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>
    /// A blob the store already had keeps its old file: its time is refreshed so the collector's
    /// crash-leftover sweep never mistakes it for an orphan before its row is written. Missing only
    /// when a collection removed an identical, long-unused blob at this very moment.
    /// </summary>
    private async Task<long> CommittedSizeAsync(Digest digest, CancellationToken cancellationToken)
    {
        try
        {
            File.SetLastWriteTimeUtc(Content.BlobPath(digest), DateTime.UtcNow);
        }
        catch (FileNotFoundException)
        {
        }

        return (await Content.InfoAsync(digest, cancellationToken).ConfigureAwait(false))?.Size
            ?? throw RegistryErrors.BlobNotFound(digest);
    }
}
