namespace Strata.Storage.Streams;

/// <summary>
/// A read-only stream that first replays a few already-read bytes (a sniffed magic or header), then the rest
/// of its inner stream. <see cref="PeekAsync"/> reads the head and wraps the stream in one step.
/// </summary>
public sealed class PrefixedStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private ReadOnlyMemory<byte> _prefix;
    private long _position;

    public PrefixedStream(ReadOnlyMemory<byte> prefix, Stream inner, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _prefix = prefix;
        _inner = inner;
        _leaveOpen = leaveOpen;
    }

    /// <summary>Bytes read so far (prefix included).</summary>
    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    /// <summary>Reads up to <paramref name="count"/> bytes of <paramref name="inner"/> (fewer at its end); returns them and a stream that still starts at byte 0.</summary>
    public static async Task<(PrefixedStream Stream, ReadOnlyMemory<byte> Head)> PeekAsync(Stream inner, int count, bool leaveOpen, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inner);
        var head = new byte[count];
        var n = await inner.ReadAtLeastAsync(head, count, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        var bytes = head.AsMemory(0, n);
        return (new PrefixedStream(bytes, inner, leaveOpen), bytes);
    }

    public override int Read(Span<byte> buffer)
    {
        var n = ReadPrefix(buffer);
        if (n == 0)
        {
            n = _inner.Read(buffer);
        }

        _position += n;
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = ReadPrefix(buffer.Span);
        if (n == 0)
        {
            n = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        _position += n;
        return n;
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_leaveOpen)
        {
            await _inner.DisposeAsync().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_leaveOpen)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int ReadPrefix(Span<byte> buffer)
    {
        if (_prefix.IsEmpty || buffer.IsEmpty)
        {
            return 0;
        }

        var n = Math.Min(buffer.Length, _prefix.Length);
        _prefix.Span[..n].CopyTo(buffer);
        _prefix = _prefix[n..];
        return n;
    }
}
