using System.Runtime.InteropServices;

namespace Strata.Storage.Layers;

public static partial class UnixFs
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff;

    private static unsafe UnixStat? TryLstatLinux(string path)
    {
        // struct statx is arch-independent (linux/stat.h), unlike struct stat.
        var buf = stackalloc byte[256];
        if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, buf) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is ENOENT or 20)
            {
                return null;
            }

            throw new Oci.StrataException(Oci.ErrorKind.Unknown, "FS_ERROR", $"lstat {path}: {ErrnoText(errno)}");
        }

        return new UnixStat(
            Mode: *(ushort*)(buf + 28),
            Uid: *(uint*)(buf + 20),
            Gid: *(uint*)(buf + 24),
            Inode: *(ulong*)(buf + 32),
            Device: ((ulong)*(uint*)(buf + 136) << 32) | *(uint*)(buf + 140),
            Links: *(uint*)(buf + 16),
            Size: (long)*(ulong*)(buf + 40),
            MtimeSeconds: *(long*)(buf + 112),
            MtimeNanos: *(uint*)(buf + 120),
            RdevMajor: *(uint*)(buf + 128),
            RdevMinor: *(uint*)(buf + 132))
        {
            Blocks = (long)*(ulong*)(buf + 48),
        };
    }

    private static int LchownLinux(string path, int uid, int gid) => LchownNative(path, uid, gid) == 0 ? 0 : Marshal.GetLastPInvokeError();

    private static unsafe int UtimensLinux(string path, long seconds, uint nanos)
    {
        var times = stackalloc long[4];
        times[0] = seconds;
        times[1] = nanos;
        times[2] = seconds;
        times[3] = nanos;
        return Utimensat(AtFdCwd, path, times, AtSymlinkNoFollow) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    private static int ChmodLinux(string path, uint mode) => ChmodNative(path, mode) == 0 ? 0 : Marshal.GetLastPInvokeError();

    private static int MknodLinux(string path, uint mode, uint major, uint minor)
    {
        // glibc's makedev encoding (sys/sysmacros.h).
        var dev = ((ulong)(major & 0xfffff000) << 32) | ((ulong)(major & 0xfff) << 8) |
                  ((ulong)(minor & 0xffffff00) << 12) | (minor & 0xff);
        return MknodNative(path, mode, dev) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    private static int LinkLinux(string existing, string newPath) => LinkNative(existing, newPath) == 0 ? 0 : Marshal.GetLastPInvokeError();

    private static unsafe int LsetxattrLinux(string path, string name, ReadOnlySpan<byte> value)
    {
        fixed (byte* p = value)
        {
            return Lsetxattr(path, name, p, (nuint)value.Length, 0) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
    }

    private static unsafe SortedDictionary<string, byte[]> GetXattrsLinux(string path)
    {
        var result = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        var size = Llistxattr(path, null, 0);
        if (size <= 0)
        {
            return result;
        }

        var list = new byte[(int)size + 256];
        fixed (byte* p = list)
        {
            size = Llistxattr(path, p, (nuint)list.Length);
        }

        if (size <= 0)
        {
            return result;
        }

        foreach (var name in SplitNames(list.AsSpan(0, (int)size)))
        {
            var len = Lgetxattr(path, name, null, 0);
            if (len < 0)
            {
                continue;
            }

            var value = new byte[(int)len];
            fixed (byte* v = value)
            {
                len = Lgetxattr(path, name, v, (nuint)value.Length);
            }

            if (len >= 0)
            {
                result[name] = value.AsSpan(0, (int)len).ToArray();
            }
        }

        return result;
    }

    private static uint GeteuidLinux() => Geteuid();

    private static int SyncfsLinux(string path)
    {
        var fd = OpenNative(path, 0x10000 | 0x80000); // O_RDONLY|O_DIRECTORY|O_CLOEXEC
        if (fd < 0)
        {
            return Marshal.GetLastPInvokeError();
        }

        var rc = Syncfs(fd) == 0 ? 0 : Marshal.GetLastPInvokeError();
        _ = CloseNative(fd);
        return rc;
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int OpenNative(string path, int flags);

    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    private static partial int Syncfs(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int CloseNative(int fd);

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int Statx(int dirfd, string path, int flags, uint mask, byte* buf);

    [LibraryImport("libc", EntryPoint = "lchown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int LchownNative(string path, int uid, int gid);

    [LibraryImport("libc", EntryPoint = "utimensat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int Utimensat(int dirfd, string path, long* times, int flags);

    [LibraryImport("libc", EntryPoint = "chmod", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int ChmodNative(string path, uint mode);

    [LibraryImport("libc", EntryPoint = "mknod", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int MknodNative(string path, uint mode, ulong dev);

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int LinkNative(string existing, string newPath);

    [LibraryImport("libc", EntryPoint = "lsetxattr", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int Lsetxattr(string path, string name, byte* value, nuint size, int flags);

    [LibraryImport("libc", EntryPoint = "llistxattr", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial nint Llistxattr(string path, byte* list, nuint size);

    [LibraryImport("libc", EntryPoint = "lgetxattr", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial nint Lgetxattr(string path, string name, byte* value, nuint size);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint Geteuid();
}
