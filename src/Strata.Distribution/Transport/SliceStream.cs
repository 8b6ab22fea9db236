namespace Strata.Distribution.Transport;

/// <summary>
/// A seekable read-only window [<c>start</c>, <c>start + length</c>) of a seekable stream, reporting bytes read,
/// so a chunk of a blob can be sent (and sent again) without copying it.
/// </summary>
public sealed class SliceStream : Stream
{
    private readonly Stream _inner;
    private readonly long _start;
    private readonly long _length;
    private readonly Action<long>? _progress;
    private long _position;

    public SliceStream(Stream inner, long start, long length, Action<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (!inner.CanSeek)
        {
            throw new ArgumentException("stream must be seekable", nameof(inner));
        }

        _inner = inner;
        _start = start;
        _length = length;
        _progress = progress;
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => _position = Math.Clamp(value, 0, _length);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = (int)Math.Min(buffer.Length, _length - _position);
        if (n <= 0)
        {
            return 0;
        }

        _inner.Position = _start + _position;
        n = _inner.Read(buffer[..n]);
        Advance(n);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = (int)Math.Min(buffer.Length, _length - _position);
        if (n <= 0)
        {
            return 0;
        }

        _inner.Position = _start + _position;
        n = await _inner.ReadAsync(buffer[..n], cancellationToken).ConfigureAwait(false);
        Advance(n);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => _length + offset,
        };
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private void Advance(int n)
    {
        _position += n;
        _progress?.Invoke(n);
    }
}
