using Strata.Oci;

namespace Strata.Storage.Content;

/// <summary>A write in progress. Dispose without commit keeps the ingest for resumption.</summary>
public interface IContentWriter : IAsyncDisposable
{
    string Ref { get; }

    /// <summary>Bytes written so far, including those from before a resume.</summary>
    long Offset { get; }

    Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    /// <summary>Copies a stream to the end of the ingest.</summary>
    Task CopyFromAsync(Stream source, CancellationToken cancellationToken = default);

    /// <summary>Cuts the ingest back to <paramref name="offset"/> (for a client that resumes earlier).</summary>
    Task TruncateAsync(long offset, CancellationToken cancellationToken = default);

    /// <summary>
    /// Flushes, fsyncs, verifies size and digest and atomically renames the blob into place. When the
    /// blob already exists the ingest is dropped and this succeeds. Throws DataLoss on mismatch (and the
    /// ingest is discarded, since its bytes can never become that blob).
    /// </summary>
    Task<Digest> CommitAsync(long? expectedSize, Digest? expected, CancellationToken cancellationToken = default);

    /// <summary>Drops the ingest and its bytes.</summary>
    Task AbortAsync(CancellationToken cancellationToken = default);
}
