namespace Strata.Storage.Content;

/// <summary>Starts or resumes writes (containerd content.Ingester).</summary>
public interface IContentIngester
{
    /// <summary>
    /// Opens the ingest named <paramref name="ingestRef"/> (any string: a registry upload id, a pull's
    /// layer digest). An existing ingest is resumed at its durable offset. Only one writer may hold an
    /// ingest at a time; a second gets an Unavailable (INGEST_LOCKED) error.
    /// </summary>
    Task<IContentWriter> OpenWriterAsync(string ingestRef, CancellationToken cancellationToken = default);
}
