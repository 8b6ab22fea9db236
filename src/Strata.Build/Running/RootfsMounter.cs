using Strata.Oci;
using Strata.Storage.Snapshots;

namespace Strata.Build.Running;

/// <summary>
/// Mounts <c>overlay</c> and <c>bind</c> mount descriptions with mount(2) (the builder's own until the
/// layers area's mounter is wired in). Overlay options must fit in one page, which limits the layer count.
/// </summary>
public sealed partial class RootfsMounter : IRootfsMounter
{
    public Task MountAsync(IReadOnlyList<MountSpec> mounts, string target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mounts);
        Directory.CreateDirectory(target);
        foreach (var m in mounts)
        {
            cancellationToken.ThrowIfCancellationRequested();
            MountOne(m, target);
        }

        return Task.CompletedTask;
    }

    public Task UnmountAsync(string target, CancellationToken cancellationToken = default)
    {
        Unmount(target);
        return Task.CompletedTask;
    }

    private static void MountOne(MountSpec m, string target)
    {
        var flags = 0UL;
        var data = new List<string>();
        var bind = m.Type == "bind";
        foreach (var o in m.Options)
        {
            switch (o)
            {
                case "ro": flags |= MsRdonly; break;
                case "rw": break;
                case "bind": bind = true; break;
                case "rbind": bind = true; flags |= MsRec; break;
                default: data.Add(o); break;
            }
        }

        if (bind)
        {
            MountSyscall(m.Source, target, null, MsBind | (flags & MsRec), null);
            if ((flags & MsRdonly) != 0)
            {
                MountSyscall(string.Empty, target, null, MsBind | MsRemount | MsRdonly, null);
            }

            return;
        }

        var options = string.Join(',', data);
        MountSyscall(m.Source, target, m.Type, flags, options);
    }

    private static void MountSyscall(string source, string target, string? type, ulong flags, string? data)
    {
        if (Mount(source, target, type, flags, data) != 0)
        {
            var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            throw StrataException.Unavailable("MOUNT_FAILED", $"mount {type ?? "bind"} {source} on {target}: {Errno(errno)}");
        }
    }

    private static void Unmount(string target)
    {
        if (Umount2(target, MntDetach) != 0)
        {
            var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            if (errno is 22 or 2)
            {
                // EINVAL: not a mount point; ENOENT: gone. Nothing to undo.
                return;
            }

            throw StrataException.Unavailable("UMOUNT_FAILED", $"umount {target}: {Errno(errno)}");
        }
    }

    private static string Errno(int errno) => $"errno {errno} ({new System.ComponentModel.Win32Exception(errno).Message})";
}
