using Strata.Storage.Layers;

namespace Strata.Storage.Snapshots;

/// <summary>Copies a directory tree keeping owners, modes, times, xattrs, symlinks, devices and hardlinks (<c>cp -a</c>).</summary>
public static class TreeCopier
{
    public static async Task CopyAsync(string source, string target, CancellationToken cancellationToken)
    {
        var links = new Dictionary<(ulong, ulong), string>();
        var dirs = new List<(string Path, UnixStat Stat)>();
        Directory.CreateDirectory(target);
        await CopyDirAsync(source, target, links, dirs, cancellationToken).ConfigureAwait(false);
        var rootStat = UnixFs.Lstat(source);
        CopyMeta(target, rootStat, source);
        dirs.Add((target, rootStat));

        // Directory times last: filling a directory changes its mtime.
        foreach (var (path, st) in dirs)
        {
            UnixFs.SetMtime(path, st.MtimeSeconds, st.MtimeNanos);
        }
    }

    private static async Task CopyDirAsync(string src, string dst, Dictionary<(ulong, ulong), string> links, List<(string, UnixStat)> dirs, CancellationToken cancellationToken)
    {
        foreach (var child in Directory.EnumerateFileSystemEntries(src))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetFileName(child);
            var to = Path.Combine(dst, name);
            if (UnixFs.TryLstat(child) is not { } st)
            {
                continue;
            }

            switch (st.FileType)
            {
                case UnixStat.TypeDirectory:
                    Directory.CreateDirectory(to);
                    await CopyDirAsync(child, to, links, dirs, cancellationToken).ConfigureAwait(false);
                    CopyMeta(to, st, child);
                    dirs.Add((to, st));
                    continue;
                case UnixStat.TypeFile:
                    if (st.Links > 1 && links.TryGetValue((st.Device, st.Inode), out var first))
                    {
                        UnixFs.Link(first, to);
                        continue;
                    }

                    await CopyFileAsync(child, to, cancellationToken).ConfigureAwait(false);
                    if (st.Links > 1)
                    {
                        links[(st.Device, st.Inode)] = to;
                    }

                    break;
                case UnixStat.TypeSymlink:
                    File.CreateSymbolicLink(to, new FileInfo(child).LinkTarget ?? "");
                    break;
                case UnixStat.TypeChar or UnixStat.TypeBlock or UnixStat.TypeFifo:
                    UnixFs.Mknod(to, st.Mode, st.RdevMajor, st.RdevMinor);
                    break;
                default:
                    continue;
            }

            CopyMeta(to, st, child);
            UnixFs.SetMtime(to, st.MtimeSeconds, st.MtimeNanos);
        }
    }

    private static async Task CopyFileAsync(string from, string to, CancellationToken cancellationToken)
    {
        var src = new FileStream(from, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, BufferSize = 0, Options = FileOptions.SequentialScan });
        await using (src.ConfigureAwait(false))
        {
            var dst = new FileStream(to, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 0, PreallocationSize = src.Length });
            await using (dst.ConfigureAwait(false))
            {
                await src.CopyToAsync(dst, 256 * 1024, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static void CopyMeta(string to, UnixStat st, string from)
    {
        UnixFs.Lchown(to, (int)st.Uid, (int)st.Gid);
        if (!st.IsSymlink)
        {
            UnixFs.Chmod(to, st.Permissions);
        }

        foreach (var (key, value) in UnixFs.GetXattrs(from))
        {
            UnixFs.SetXattr(to, key, value);
        }
    }
}
