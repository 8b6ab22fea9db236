using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Strata.Storage.Layers;

namespace Strata.Storage.Tests.Layers;

/// <summary>Builds test tars with System.Formats.Tar's TarWriter (an independent writer: names are written as given).</summary>
public sealed class TarBuilder
{
    public static readonly DateTimeOffset Epoch = new(2020, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private readonly List<Func<TarWriter, Task>> _steps = [];

    public TarBuilder File(string name, string content = "", UnixFileMode mode = (UnixFileMode)0x1A4, int uid = 0, int gid = 0, DateTimeOffset? mtime = null) =>
        Add(new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
            Mode = mode,
            Uid = uid,
            Gid = gid,
            ModificationTime = mtime ?? Epoch,
        });

    public TarBuilder Dir(string name, UnixFileMode mode = (UnixFileMode)0x1ED, int uid = 0, int gid = 0, DateTimeOffset? mtime = null) =>
        Add(new PaxTarEntry(TarEntryType.Directory, name) { Mode = mode, Uid = uid, Gid = gid, ModificationTime = mtime ?? Epoch });

    public TarBuilder Symlink(string name, string target) =>
        Add(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target, Mode = (UnixFileMode)0x1FF, ModificationTime = Epoch });

    public TarBuilder Hardlink(string name, string target) =>
        Add(new PaxTarEntry(TarEntryType.HardLink, name) { LinkName = target, ModificationTime = Epoch });

    public TarBuilder Device(string name, TarEntryType type, int major, int minor) =>
        Add(type == TarEntryType.Fifo
            ? new PaxTarEntry(type, name) { Mode = (UnixFileMode)0x1B6, ModificationTime = Epoch }
            : new PaxTarEntry(type, name) { DeviceMajor = major, DeviceMinor = minor, Mode = (UnixFileMode)0x1B6, ModificationTime = Epoch });

    public TarBuilder Whiteout(string name) => File(name);

    public async Task<byte[]> BuildAsync(LayerCompression compression = LayerCompression.None)
    {
        var tar = new MemoryStream();
        await using (var w = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var step in _steps)
            {
                await step(w);
            }
        }

        return Compress(tar.ToArray(), compression);
    }

    public static byte[] Compress(byte[] tar, LayerCompression compression)
    {
        if (compression == LayerCompression.None)
        {
            return tar;
        }

        var output = new MemoryStream();
        using (var c = LayerStreams.OpenCompressor(output, compression))
        {
            c.Write(tar);
        }

        return output.ToArray();
    }

    private TarBuilder Add(TarEntry entry)
    {
        _steps.Add(w => w.WriteEntryAsync(entry));
        return this;
    }
}
