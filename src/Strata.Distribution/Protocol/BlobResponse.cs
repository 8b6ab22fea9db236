namespace Strata.Distribution.Protocol;

/// <summary>An open blob body. <see cref="Start"/> is where it begins in the blob (0 when a Range request was answered in full).</summary>
public sealed class BlobResponse : IDisposable
{
    private readonly HttpResponseMessage _response;

    public BlobResponse(HttpResponseMessage response, Stream content, long start, long? length)
    {
        _response = response;
        Content = content;
        Start = start;
        Length = length;
    }

    public Stream Content { get; }

    public long Start { get; }

    /// <summary>Bytes this response carries, when the registry said.</summary>
    public long? Length { get; }

    public void Dispose()
    {
        Content.Dispose();
        _response.Dispose();
    }
}
