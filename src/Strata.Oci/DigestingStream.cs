using System.Security.Cryptography;

namespace Strata.Oci;

/// <summary>
/// A pass-through stream that hashes every byte read or written, so a digest is computed in the same
/// pass that moves the bytes. Optionally verifies an expected digest and size at end of stream (reads)
/// and throws <see cref="ErrorKind.DataLoss"/> on mismatch, so nothing downstream trusts bad bytes.
/// </summary>
public sealed class DigestingStream : Stream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly IncrementalHash _hash;
    private readonly Digest? _expected;
    private readonly long? _expectedSize;
    private readonly DigestAlgorithm _algorithm;
    private Digest? _result;
    private bool _verified;

    public DigestingStream(Stream inner, DigestAlgorithm algorithm = DigestAlgorithm.Sha256, bool leaveOpen = false, Digest? expected = null, long? expectedSize = null)
    {
        _inner = inner;
        _leaveOpen = leaveOpen;
        _algorithm = expected?.Algorithm ?? algorithm;
        _hash = IncrementalHash.CreateHash(Digest.HashName(_algorithm));
        _expected = expected;
        _expectedSize = expectedSize;
    }

    /// <summary>Bytes that went through so far.</summary>
    public long BytesHashed { get; private set; }

    /// <summary>The digest of everything that went through; finalizes the hash on first call.</summary>
    public Digest Digest => _result ??= Digest.FromHash(_algorithm, _hash.GetHashAndReset());

    public override bool CanRead => _inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => _inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesHashed;
        set => throw new NotSupportedException();
    }

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = _inner.Read(buffer);
        Observe(buffer[..n]);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Observe(buffer.Span[..n]);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _hash.AppendData(buffer);
        BytesHashed += buffer.Length;
        _inner.Write(buffer);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _hash.AppendData(buffer.Span);
        BytesHashed += buffer.Length;
        await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Checks size and digest against the expected values; throws DataLoss on mismatch.</summary>
    public void Verify()
    {
        if (_verified)
        {
            return;
        }

        _verified = true;
        if (_expectedSize is { } size && size != BytesHashed)
        {
            throw StrataException.DataLoss(ErrorCodes.SizeMismatch, $"size mismatch: expected {size} bytes, got {BytesHashed}");
        }

        if (_expected is { } expected && expected != Digest)
        {
            throw StrataException.DataLoss("DIGEST_MISMATCH", $"digest mismatch: expected {expected}, got {Digest}");
        }
    }

    private void Observe(ReadOnlySpan<byte> data)
    {
        if (data.Length == 0)
        {
            if (_expected is not null || _expectedSize is not null)
            {
                Verify();
            }

            return;
        }

        _hash.AppendData(data);
        BytesHashed += data.Length;
        if (_expectedSize is { } size && BytesHashed > size)
        {
            throw StrataException.DataLoss(ErrorCodes.SizeMismatch, $"size mismatch: more than the expected {size} bytes");
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
            if (!_leaveOpen)
            {
                _inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        _hash.Dispose();
        if (!_leaveOpen)
        {
            await _inner.DisposeAsync().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }
}
