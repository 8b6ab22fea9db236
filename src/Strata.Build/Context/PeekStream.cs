namespace Strata.Build.Context;

/// <summary>A read-only stream that can look at its first bytes and still return them on read.</summary>
internal sealed class PeekStream : Stream
{
    private readonly Stream _inner;
    private byte[] _peeked = [];
    private int _offset;

    public PeekStream(Stream inner) => _inner = inner;

    public async Task<int> PeekAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        var n = await _inner.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        _peeked = buffer[..n];
        _offset = 0;
        return n;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_offset < _peeked.Length)
        {
            var n = Math.Min(buffer.Length, _peeked.Length - _offset);
            _peeked.AsSpan(_offset, n).CopyTo(buffer);
            _offset += n;
            return n;
        }

        return _inner.Read(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_offset < _peeked.Length)
        {
            return Read(buffer.Span);
        }

        return await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
