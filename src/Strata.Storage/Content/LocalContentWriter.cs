using System.Security.Cryptography;
using Strata.Oci;

namespace Strata.Storage.Content;

/// <summary>A writer over one ingest directory; hashes as it writes and re-hashes on resume.</summary>
internal sealed class LocalContentWriter : IContentWriter
{
    private readonly LocalContentStore _store;
    private readonly string _dir;
    private readonly FileStream _data;
    private IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private bool _done;

    public LocalContentWriter(LocalContentStore store, string ingestRef, string dir, FileStream data)
    {
        _store = store;
        Ref = ingestRef;
        _dir = dir;
        _data = data;
    }

    public string Ref { get; }

    public long Offset { get; private set; }

    /// <summary>Re-hashes what an earlier writer left so the ingest resumes where it stopped.</summary>
    internal async Task RestoreAsync(CancellationToken cancellationToken)
    {
        _data.Position = 0;
        var buffer = new byte[1 << 16];
        int n;
        while ((n = await _data.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            _hash.AppendData(buffer, 0, n);
            Offset += n;
        }
    }

    public async Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_done, this);
        await _data.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        _hash.AppendData(data.Span);
        Offset += data.Length;
    }

    public async Task CopyFromAsync(Stream source, CancellationToken cancellationToken = default)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 17);
        try
        {
            int n;
            while ((n = await source.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false)) > 0)
            {
                await WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async Task TruncateAsync(long offset, CancellationToken cancellationToken = default)
    {
        if (offset < 0 || offset > Offset)
        {
            throw StrataException.Invalid("INGEST_RANGE", $"cannot truncate ingest at {Offset} bytes to {offset}");
        }

        await _data.FlushAsync(cancellationToken).ConfigureAwait(false);
        _data.SetLength(offset);
        _hash.Dispose();
        _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Offset = 0;
        await RestoreAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<Digest> CommitAsync(long? expectedSize, Digest? expected, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_done, this);
        await _data.FlushAsync(cancellationToken).ConfigureAwait(false);
        _data.Flush(flushToDisk: true);
        if (expectedSize is { } size && size != Offset)
        {
            await FailAsync(cancellationToken).ConfigureAwait(false);
            throw StrataException.DataLoss(ErrorCodes.SizeMismatch, $"size mismatch: expected {size} bytes, wrote {Offset}");
        }

        Digest actual;
        if (expected is { Algorithm: DigestAlgorithm.Sha512 })
        {
            _data.Position = 0;
            actual = await Digest.ComputeAsync(_data, DigestAlgorithm.Sha512, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            actual = Digest.FromHash(DigestAlgorithm.Sha256, _hash.GetHashAndReset());
        }

        if (expected is { } want && want != actual)
        {
            await FailAsync(cancellationToken).ConfigureAwait(false);
            throw StrataException.DataLoss("DIGEST_MISMATCH", $"digest mismatch: expected {want}, got {actual}");
        }

        var target = _store.BlobPath(actual);
        _done = true;
        await _data.DisposeAsync().ConfigureAwait(false);
        if (!File.Exists(target))
        {
            // rename(2) is atomic: readers see no blob or the whole, verified blob.
            File.Move(Path.Combine(_dir, "data"), target, overwrite: true);
            FileSync.SyncDirectory(Path.GetDirectoryName(target)!);
        }

        Directory.Delete(_dir, recursive: true);
        _hash.Dispose();
        return actual;
    }

    public async Task AbortAsync(CancellationToken cancellationToken = default)
    {
        await FailAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task FailAsync(CancellationToken cancellationToken)
    {
        _ = cancellationToken;
        if (!_done)
        {
            _done = true;
            await _data.DisposeAsync().ConfigureAwait(false);
        }

        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_done)
        {
            _done = true;
            await _data.FlushAsync().ConfigureAwait(false);
            await _data.DisposeAsync().ConfigureAwait(false);
        }

        _hash.Dispose();
    }
}
