namespace Strata.Storage.Streams;

/// <summary>
/// A read-only view of a stream that releases what owns it when disposed: the HTTP response a body belongs
/// to, or the helper process whose stdout it is (reaped, or killed when still running).
/// </summary>
public sealed class OwnedStream : ReadOnlyStream
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

    public override int Read(Span<byte> buffer) => _inner.Read(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _inner.ReadAsync(buffer, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _release();
        }

        base.Dispose(disposing);
    }
}
