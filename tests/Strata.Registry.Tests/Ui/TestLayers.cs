using System.Formats.Tar;
using System.IO.Compression;
using Strata.Oci;

namespace Strata.Registry.Tests.Ui;

/// <summary>Builds real tar(.gz) layer blobs for UI tests.</summary>
internal static class TestLayers
{
    public static byte[] Tar(bool gzip, params (string Path, int Size)[] files)
    {
        using var output = new MemoryStream();
        using (Stream sink = gzip ? new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true) : new NonClosing(output))
        using (var writer = new TarWriter(sink, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (path, size) in files)
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(new byte[size]) };
                writer.WriteEntry(entry);
            }
        }

        return output.ToArray();
    }

    public static Descriptor Describe(byte[] blob, bool gzip) => new()
    {
        MediaType = gzip ? MediaTypes.OciLayerGzip : MediaTypes.OciLayer,
        Digest = Digest.Compute(blob),
        Size = blob.Length,
    };

    private sealed class NonClosing(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
