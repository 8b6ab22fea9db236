using Strata.Storage.Streams;

namespace Strata.Storage.Images;

/// <summary>A read-only stream that copies every byte it reads to a sink: validate and store in one pass.</summary>
internal sealed class TeeReadStream : ReadOnlyStream
{
    private readonly Stream _source;
    private readonly Stream _sink;

    public TeeReadStream(Stream source, Stream sink)
    {
        _source = source;
        _sink = sink;
    }

    public override int Read(Span<byte> buffer)
    {
        var n = _source.Read(buffer);
        _sink.Write(buffer[..n]);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await _source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        await _sink.WriteAsync(buffer[..n], cancellationToken).ConfigureAwait(false);
        return n;
    }
}
