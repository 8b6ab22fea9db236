using Strata.Oci;
using Strata.Storage.Layers;

namespace Strata.Build.Copying;

/// <summary>
/// Writes COPY/ADD sources into a mounted root filesystem with Docker's rules: a directory source copies its
/// contents, a file goes into a destination ending in <c>/</c> (or an existing directory) under its own name,
/// missing parents are created (0755, owned like the copied files), modes and modification times are kept,
/// symlinks are copied as symlinks, everything is owned by root unless <c>--chown</c>.
/// </summary>
public static class FileCopier
{
    public static async Task CopyAsync(string rootfs, ResolvedSource source, Func<string, bool> isExcluded, bool descendExcluded, string dest, bool destIsDir, CopyOwner owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(owner);
        if (source.IsDirectory)
        {
            var target = MkdirAll(rootfs, dest, owner);
            var tree = new SourceTree(source.HostPath, rel => isExcluded(ContentHasher.Combine(source.RelativePath, rel)), false, string.Empty);
            var dirs = new List<(string Host, UnixStat Stat)>();
            foreach (var rel in tree.Walk(descendExcluded))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var from = Path.Combine(source.HostPath, rel);
                var parent = Path.GetDirectoryName(rel)?.Replace('\\', '/') ?? string.Empty;
                var parentHost = parent.Length == 0 ? target : MkdirAll(rootfs, CombineContainer(dest, parent), owner);
                var to = Path.Combine(parentHost, Path.GetFileName(rel));
                var st = UnixFs.Lstat(from);
                if (st.IsDirectory)
                {
                    if (UnixFs.TryLstat(to) is { IsDirectory: true })
                    {
                        // Merge into an existing directory; keep its metadata as Docker does for existing dirs.
                        continue;
                    }

                    UnixFs.RemoveAll(to);
                    Directory.CreateDirectory(to);
                    Apply(to, st, owner, isDir: true);
                    dirs.Add((to, st));
                    continue;
                }

                await CopyEntryAsync(from, st, to, owner, cancellationToken).ConfigureAwait(false);
            }

            // Directory times last: writing children changes them.
            foreach (var (host, st) in dirs)
            {
                UnixFs.SetMtime(host, st.MtimeSeconds, st.MtimeNanos);
            }

            return;
        }

        var name = Path.GetFileName(source.RelativePath.TrimEnd('/'));
        if (name.Length == 0)
        {
            name = Path.GetFileName(source.HostPath);
        }

        string file;
        if (destIsDir)
        {
            var dir = MkdirAll(rootfs, dest, owner);
            file = Path.Combine(dir, name);
        }
        else
        {
            var resolved = ScopedPath.Resolve(rootfs, dest);
            if (UnixFs.TryLstat(resolved) is { IsDirectory: true })
            {
                file = Path.Combine(resolved, name);
            }
            else
            {
                var parentDir = MkdirAll(rootfs, ParentOf(dest), owner);
                file = Path.Combine(parentDir, Path.GetFileName(dest.TrimEnd('/')));
            }
        }

        await CopyEntryAsync(source.HostPath, UnixFs.Lstat(source.HostPath), file, owner, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes bytes as a file (heredoc COPY, ADD of a URL).</summary>
    public static async Task WriteFileAsync(string rootfs, string dest, bool destIsDir, string name, Stream content, uint mode, DateTimeOffset? mtime, CopyOwner owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(owner);
        string file;
        var resolved = ScopedPath.Resolve(rootfs, dest);
        if (destIsDir || UnixFs.TryLstat(resolved) is { IsDirectory: true })
        {
            file = Path.Combine(MkdirAll(rootfs, dest, owner), name);
        }
        else
        {
            file = Path.Combine(MkdirAll(rootfs, ParentOf(dest), owner), Path.GetFileName(dest.TrimEnd('/')));
        }

        UnixFs.RemoveAll(file);
        await using (var f = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
        {
            await content.CopyToAsync(f, cancellationToken).ConfigureAwait(false);
        }

        UnixFs.Chmod(file, owner.Mode ?? mode);
        UnixFs.Lchown(file, owner.Uid, owner.Gid);
        var t = mtime ?? DateTimeOffset.UtcNow;
        UnixFs.SetMtime(file, t.ToUnixTimeSeconds(), 0);
    }

    public static string ParentOf(string containerPath)
    {
        var p = containerPath.TrimEnd('/');
        var i = p.LastIndexOf('/');
        return i <= 0 ? "/" : p[..i];
    }

    public static string CombineContainer(string a, string b) => a.TrimEnd('/') + "/" + b;

    /// <summary>Creates the container directory <paramref name="containerDir"/> and missing parents; returns its host path.</summary>
    public static string MkdirAll(string rootfs, string containerDir, CopyOwner owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var current = "/";
        foreach (var part in containerDir.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }

            current = current == "/" ? "/" + part : current + "/" + part;
            var host = ScopedPath.Resolve(rootfs, current);
            var st = UnixFs.TryLstat(host);
            if (st is null)
            {
                Directory.CreateDirectory(host);
                UnixFs.Chmod(host, 0b111_101_101);
                UnixFs.Lchown(host, owner.Uid, owner.Gid);
            }
            else if (!st.Value.IsDirectory)
            {
                throw StrataException.Invalid("COPY_NOT_A_DIRECTORY", $"cannot copy to {containerDir}: {current} is not a directory");
            }
        }

        return ScopedPath.Resolve(rootfs, containerDir);
    }

    private static async Task CopyEntryAsync(string from, UnixStat st, string to, CopyOwner owner, CancellationToken cancellationToken)
    {
        if (st.IsSymlink)
        {
            UnixFs.RemoveAll(to);
            File.CreateSymbolicLink(to, new FileInfo(from).LinkTarget ?? string.Empty);
            UnixFs.Lchown(to, owner.Uid, owner.Gid);
            UnixFs.SetMtime(to, st.MtimeSeconds, st.MtimeNanos);
            return;
        }

        if (!st.IsRegular)
        {
            // Sockets, devices and fifos in a build context are not copied (Docker refuses devices too).
            return;
        }

        UnixFs.RemoveAll(to);
        await using (var src = new FileStream(from, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan))
        await using (var dst = new FileStream(to, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
        {
            await src.CopyToAsync(dst, cancellationToken).ConfigureAwait(false);
        }

        Apply(to, st, owner, isDir: false);
        UnixFs.SetMtime(to, st.MtimeSeconds, st.MtimeNanos);
    }

    private static void Apply(string path, UnixStat st, CopyOwner owner, bool isDir)
    {
        _ = isDir;
        UnixFs.Chmod(path, owner.Mode ?? st.Permissions);
        UnixFs.Lchown(path, owner.Uid, owner.Gid);
    }
}
