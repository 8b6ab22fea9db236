using System.Runtime.InteropServices;

namespace Strata.Storage.Snapshots;

public static partial class Mounter
{
    private const uint FsopenCloexec = 1;
    private const uint FsconfigSetFlag = 0;
    private const uint FsconfigSetString = 1;
    private const uint FsconfigCmdCreate = 6;
    private const uint FsmountCloexec = 1;
    private const uint MountAttrRdonly = 1;
    private const uint MoveMountFEmptyPath = 4;
    private const int AtFdCwd = -100;

    private static int MountNative(string? source, string target, string? fstype, int flags, string? data) =>
        Mount(source, target, fstype, (nuint)(uint)flags, data) == 0 ? 0 : Marshal.GetLastPInvokeError();

    private static int UnmountNative(string target, int flags) => Umount2(target, flags) == 0 ? 0 : Marshal.GetLastPInvokeError();

    private static void MountOverlayWithFsConfig(IReadOnlyList<string> options, string target, bool readOnly)
    {
        var fs = Fsopen("overlay", FsopenCloexec);
        if (fs < 0)
        {
            Check(Marshal.GetLastPInvokeError(), "fsopen overlay");
        }

        try
        {
            foreach (var o in options)
            {
                if (o is "ro" or "rw")
                {
                    continue;
                }

                var eq = o.IndexOf('=', StringComparison.Ordinal);
                if (eq < 0)
                {
                    Config(fs, FsconfigSetFlag, o, null);
                    continue;
                }

                var key = o[..eq];
                var value = o[(eq + 1)..];
                if (key == "lowerdir")
                {
                    // One lowerdir+ per layer, top first: no option-length limit (Linux 6.8, overlayfs.rst).
                    foreach (var dir in value.Split(':'))
                    {
                        Config(fs, FsconfigSetString, "lowerdir+", dir);
                    }

                    continue;
                }

                Config(fs, FsconfigSetString, key, value);
            }

            Config(fs, FsconfigCmdCreate, null, null);
            var mnt = Fsmount(fs, FsmountCloexec, readOnly ? MountAttrRdonly : 0);
            if (mnt < 0)
            {
                Check(Marshal.GetLastPInvokeError(), "fsmount overlay");
            }

            try
            {
                if (MoveMount(mnt, "", AtFdCwd, target, MoveMountFEmptyPath) != 0)
                {
                    Check(Marshal.GetLastPInvokeError(), $"move_mount overlay to {target}");
                }
            }
            finally
            {
                _ = Close(mnt);
            }
        }
        finally
        {
            _ = Close(fs);
        }
    }

    private static void Config(int fs, uint cmd, string? key, string? value)
    {
        if (Fsconfig(fs, cmd, key, value, 0) != 0)
        {
            Check(Marshal.GetLastPInvokeError(), $"fsconfig overlay {key}{(value is null ? "" : "=" + value)}");
        }
    }

    [LibraryImport("libc", EntryPoint = "mount", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Mount(string? source, string target, string? fstype, nuint flags, string? data);

    [LibraryImport("libc", EntryPoint = "umount2", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Umount2(string target, int flags);

    [LibraryImport("libc", EntryPoint = "fsopen", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Fsopen(string fsname, uint flags);

    [LibraryImport("libc", EntryPoint = "fsconfig", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Fsconfig(int fd, uint cmd, string? key, string? value, int aux);

    [LibraryImport("libc", EntryPoint = "fsmount", SetLastError = true)]
    private static partial int Fsmount(int fd, uint flags, uint attrFlags);

    [LibraryImport("libc", EntryPoint = "move_mount", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int MoveMount(int fromDirfd, string fromPath, int toDirfd, string toPath, uint flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
