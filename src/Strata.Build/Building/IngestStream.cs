using Strata.Storage.Content;

namespace Strata.Build.Building;

/// <summary>A write-only stream onto a content store ingest, for the layer differ to write a blob straight into the store.</summary>
internal sealed class IngestStream : Stream
{
    private readonly IContentWriter _writer;

    public IngestStream(IContentWriter writer) => _writer = writer;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _writer.Offset;

    public override long Position { get => _writer.Offset; set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => _writer.WriteAsync(buffer.AsMemory(offset, count)).GetAwaiter().GetResult();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        new(_writer.WriteAsync(buffer, cancellationToken));

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _writer.WriteAsync(buffer.AsMemory(offset, count), cancellationToken);
}
