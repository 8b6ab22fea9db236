namespace Strata.Storage.Streams;

/// <summary>
/// A read-only view of a stream that releases what owns it when disposed: the HTTP response a body belongs
/// to, or the helper process whose stdout it is (reaped, or killed when still running).
/// </summary>
public sealed class OwnedStream : Stream
{
    private readonly Stream _inner;
    private readonly Action _release;

    public OwnedStream(Stream inner, IDisposable owner)
        : this(inner, (owner ?? throw new ArgumentNullException(nameof(owner))).Dispose)
    {
    }

    public OwnedStream(Stream inner, Action release)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(release);
        _inner = inner;
        _release = release;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => _inner.Read(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _release();
        }

        base.Dispose(disposing);
    }
}
