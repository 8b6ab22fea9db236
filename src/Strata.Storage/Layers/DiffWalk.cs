using System.Text;

namespace Strata.Storage.Layers;

/// <summary>One directory walk of <see cref="LayerDiffer"/>: remembers inodes already written for hardlinks.</summary>
internal sealed class DiffWalk
{
    private readonly bool _overlayWhiteouts;
    private readonly Dictionary<(ulong Device, ulong Inode), string> _seen = [];

    public DiffWalk(LayerTarWriter writer, bool overlayWhiteouts)
    {
        Writer = writer;
        _overlayWhiteouts = overlayWhiteouts;
    }

    public LayerTarWriter Writer { get; }

    public async Task WriteDirectoryAsync(string abs, string rel, CancellationToken cancellationToken)
    {
        var names = Directory.EnumerateFileSystemEntries(abs).Select(Path.GetFileName).ToList();
        names.Sort(static (a, b) => CompareUtf8(a!, b!));
        foreach (var name in names)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var childAbs = abs + "/" + name;
            var childRel = LayerPath.Join(rel, name!);
            if (UnixFs.TryLstat(childAbs) is not { } st)
            {
                continue;
            }

            await WriteOneAsync(childAbs, childRel, st, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WriteOneAsync(string abs, string rel, UnixStat st, CancellationToken cancellationToken)
    {
        if (_overlayWhiteouts && st.IsOverlayWhiteout)
        {
            var whiteout = LayerPath.Join(LayerPath.Parent(rel), LayerPath.WhiteoutPrefix + LayerPath.BaseName(rel));
            await Writer.WriteEntryAsync(Marker(whiteout, st), null, cancellationToken).ConfigureAwait(false);
            return;
        }

        var xattrs = UnixFs.GetXattrs(abs);
        var opaque = _overlayWhiteouts && st.IsDirectory &&
                     xattrs.TryGetValue("trusted.overlay.opaque", out var o) && o.AsSpan().SequenceEqual("y"u8);
        Filter(xattrs);

        LayerEntryType type;
        var link = "";
        var size = 0L;
        switch (st.FileType)
        {
            case UnixStat.TypeDirectory:
                type = LayerEntryType.Directory;
                break;
            case UnixStat.TypeFile:
                if (st.Links > 1)
                {
                    if (_seen.TryGetValue((st.Device, st.Inode), out var first))
                    {
                        type = LayerEntryType.Hardlink;
                        link = first;
                        break;
                    }

                    _seen[(st.Device, st.Inode)] = rel;
                }

                type = LayerEntryType.RegularFile;
                size = st.Size;
                break;
            case UnixStat.TypeSymlink:
                type = LayerEntryType.Symlink;
                link = new FileInfo(abs).LinkTarget ?? "";
                break;
            case UnixStat.TypeChar:
                type = LayerEntryType.CharDevice;
                break;
            case UnixStat.TypeBlock:
                type = LayerEntryType.BlockDevice;
                break;
            case UnixStat.TypeFifo:
                type = LayerEntryType.Fifo;
                break;
            default:
                // Sockets are not layer content (docker skips them too).
                return;
        }

        var header = new TarEntryHeader
        {
            Name = rel,
            Type = type,
            LinkName = link,
            Mode = st.Permissions,
            Uid = st.Uid,
            Gid = st.Gid,
            Size = size,
            MtimeSeconds = st.MtimeSeconds,
            DevMajor = type is LayerEntryType.CharDevice or LayerEntryType.BlockDevice ? st.RdevMajor : 0,
            DevMinor = type is LayerEntryType.CharDevice or LayerEntryType.BlockDevice ? st.RdevMinor : 0,
            Xattrs = type == LayerEntryType.Hardlink ? new(StringComparer.Ordinal) : xattrs,
        };

        if (type == LayerEntryType.RegularFile && size > 0)
        {
            var fs = new FileStream(abs, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, BufferSize = 0, Options = FileOptions.SequentialScan });
            await using (fs.ConfigureAwait(false))
            {
                await Writer.WriteEntryAsync(header, fs, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            await Writer.WriteEntryAsync(header, null, cancellationToken).ConfigureAwait(false);
        }

        if (type == LayerEntryType.Directory)
        {
            if (opaque)
            {
                await Writer.WriteEntryAsync(Marker(LayerPath.Join(rel, LayerPath.OpaqueMarker), st), null, cancellationToken).ConfigureAwait(false);
            }

            await WriteDirectoryAsync(abs, rel, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>An empty regular file standing for a whiteout, with the owner, permissions and time of what it stands for.</summary>
    private static TarEntryHeader Marker(string name, UnixStat st) => new()
    {
        Name = name,
        Type = LayerEntryType.RegularFile,
        Mode = st.Permissions & 0x1FF,
        Uid = st.Uid,
        Gid = st.Gid,
        MtimeSeconds = st.MtimeSeconds,
    };

    private static void Filter(SortedDictionary<string, byte[]> xattrs)
    {
        foreach (var key in xattrs.Keys.ToList())
        {
            // Overlay bookkeeping is converted (opaque) or host-specific; SELinux labels and ACL blobs are host policy.
            if (key.StartsWith("trusted.overlay.", StringComparison.Ordinal) ||
                key.StartsWith("security.selinux", StringComparison.Ordinal) ||
                key.StartsWith("system.", StringComparison.Ordinal))
            {
                xattrs.Remove(key);
            }
        }
    }

    private static int CompareUtf8(string a, string b)
    {
        // Byte order of the UTF-8 names, like Go's sort of strings (tar writers docker/containerd).
        return Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b));
    }
}
