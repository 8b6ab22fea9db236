using System.Text;
using Strata.Oci;

namespace Strata.Storage.Layers;

/// <summary>
/// The few POSIX calls the layer codec needs and .NET does not expose: lstat with uid/gid/inode, lchown,
/// utimensat without following symlinks, mknod, link, and the l*xattr family. Every call works on the
/// path itself, never on what a final symlink points to. Errors become <see cref="StrataException"/>s
/// naming the path and errno.
/// </summary>
public static partial class UnixFs
{
    public const int ENOENT = 2;
    public const int EPERM = 1;
    public const int ENODATA = 61;
    public const int ENOTSUP = 95;
    public const int ERANGE = 34;

    /// <summary>lstat; null when the path does not exist (ENOENT or ENOTDIR).</summary>
    public static UnixStat? TryLstat(string path) => TryLstatLinux(path);

    public static UnixStat Lstat(string path) =>
        TryLstat(path) ?? throw StrataException.NotFound("PATH_NOT_FOUND", $"{path}: no such file or directory");

    public static void Lchown(string path, int uid, int gid) => Check(LchownLinux(path, uid, gid), "lchown", path);

    /// <summary>Sets mtime (and atime to the same value) without following a final symlink.</summary>
    public static void SetMtime(string path, long seconds, uint nanos) => Check(UtimensLinux(path, seconds, nanos), "utimensat", path);

    /// <summary>Sets permission bits (07777) with chmod; callers never call it on a symlink.</summary>
    public static void Chmod(string path, uint mode) => Check(ChmodLinux(path, mode & 0xFFF), "chmod", path);

    public static void Mknod(string path, uint mode, uint major, uint minor) => Check(MknodLinux(path, mode, major, minor), "mknod", path);

    public static void Link(string existing, string newPath) => Check(LinkLinux(existing, newPath), "link", newPath);

    public static void SetXattr(string path, string name, ReadOnlySpan<byte> value) => Check(LsetxattrLinux(path, name, value), $"lsetxattr {name}", path);

    /// <summary>Extended attributes of the path itself (llistxattr + lgetxattr); empty where unsupported.</summary>
    public static SortedDictionary<string, byte[]> GetXattrs(string path) => GetXattrsLinux(path);

    public static uint EffectiveUid => GeteuidLinux();

    /// <summary>syncfs(2) on the filesystem holding <paramref name="path"/>: everything written there is durable.</summary>
    public static void SyncFilesystem(string path) => Check(SyncfsLinux(path), "syncfs", path);

    /// <summary>Removes a path without following symlinks (<c>rm -rf</c> on the entry itself); no-op if absent.</summary>
    public static void RemoveAll(string path)
    {
        var st = TryLstat(path);
        if (st is null)
        {
            return;
        }

        if (st.Value.IsDirectory)
        {
            // Directory.Delete removes symlinks inside as links, never their targets.
            Directory.Delete(path, recursive: true);
        }
        else
        {
            File.Delete(path);
        }
    }

    private static void Check(int errno, string op, string path)
    {
        if (errno != 0)
        {
            throw new StrataException(ErrorKind.Unknown, "FS_ERROR", $"{op} {path}: {ErrnoText(errno)}");
        }
    }

    public static string ErrnoText(int errno) => errno switch
    {
        EPERM => "operation not permitted",
        ENOENT => "no such file or directory",
        13 => "permission denied",
        17 => "file exists",
        20 => "not a directory",
        21 => "is a directory",
        22 => "invalid argument",
        28 => "no space left on device",
        ENOTSUP => "operation not supported",
        _ => $"errno {errno}",
    };

    internal static string[] SplitNames(ReadOnlySpan<byte> list)
    {
        var names = new List<string>();
        while (!list.IsEmpty)
        {
            var nul = list.IndexOf((byte)0);
            var one = nul < 0 ? list : list[..nul];
            if (!one.IsEmpty)
            {
                names.Add(Encoding.UTF8.GetString(one));
            }

            list = nul < 0 ? [] : list[(nul + 1)..];
        }

        return [.. names];
    }
}
