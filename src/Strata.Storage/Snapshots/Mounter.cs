using Strata.Oci;

namespace Strata.Storage.Snapshots;

/// <summary>
/// Mounts <see cref="MountSpec"/>s (what snapshotters return) at a target and unmounts them. Overlay mounts
/// whose option string would not fit the kernel's one-page limit (many layers) go through the new mount API
/// (<c>fsopen</c>/<c>fsconfig lowerdir+</c>, Linux 6.8+) so any stack the kernel allows (500 lowers) mounts;
/// callers that hand mounts to an OCI runtime should mount the rootfs with this class and pass the directory.
/// </summary>
public static partial class Mounter
{
    /// <summary>Room left under the 4096-byte page for the kernel's own additions.</summary>
    public const int MaxMountDataLength = 4000;

    public const int MsRdonly = 0x1;
    public const int MsNosuid = 0x2;
    public const int MsNodev = 0x4;
    public const int MsNoexec = 0x8;
    public const int MsRemount = 0x20;
    public const int MsBind = 0x1000;
    public const int MsRec = 0x4000;
    public const int MsPrivate = 1 << 18;

    /// <summary>Mounts every spec at <paramref name="target"/>, in order.</summary>
    public static void MountAll(IReadOnlyList<MountSpec> mounts, string target)
    {
        ArgumentNullException.ThrowIfNull(mounts);
        foreach (var m in mounts)
        {
            Mount(m, target);
        }
    }

    public static void Mount(MountSpec spec, string target)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var (flags, data) = ParseOptions(spec.Options);
        if (spec.Type == "overlay" && data.Length > MaxMountDataLength)
        {
            MountOverlayWithFsConfig(spec.Options, target, (flags & MsRdonly) != 0);
            return;
        }

        var isBind = (flags & MsBind) != 0;
        var fstype = isBind ? "" : spec.Type;
        Check(MountNative(spec.Source, target, fstype, flags, data.Length == 0 ? null : data), $"mount {spec.Type} {spec.Source} on {target}");
        if (isBind && (flags & (MsRdonly | MsNosuid | MsNodev | MsNoexec)) != 0)
        {
            // A bind mount ignores MS_RDONLY and friends until remounted (mount(2), MS_BIND|MS_REMOUNT).
            Check(MountNative(null, target, null, MsRemount | MsBind | (flags & (MsRdonly | MsNosuid | MsNodev | MsNoexec)), null), $"remount {target} read-only");
        }
    }

    /// <summary>Unmounts <paramref name="target"/>; <paramref name="detach"/> uses MNT_DETACH (lazy).</summary>
    public static void Unmount(string target, bool detach = false) =>
        Check(UnmountNative(target, detach ? 2 : 0), $"unmount {target}");

    /// <summary>Unmounts if mounted; returns false when nothing was mounted there.</summary>
    public static bool TryUnmount(string target, bool detach = false)
    {
        var errno = UnmountNative(target, detach ? 2 : 0);
        return errno == 0;
    }

    internal static (int Flags, string Data) ParseOptions(IReadOnlyList<string> options)
    {
        var flags = 0;
        var data = new List<string>();
        foreach (var o in options)
        {
            switch (o)
            {
                case "ro":
                    flags |= MsRdonly;
                    break;
                case "rw":
                    break;
                case "nosuid":
                    flags |= MsNosuid;
                    break;
                case "nodev":
                    flags |= MsNodev;
                    break;
                case "noexec":
                    flags |= MsNoexec;
                    break;
                case "bind":
                    flags |= MsBind;
                    break;
                case "rbind":
                    flags |= MsBind | MsRec;
                    break;
                default:
                    data.Add(o);
                    break;
            }
        }

        return (flags, string.Join(',', data));
    }

    private static void Check(int errno, string what)
    {
        if (errno != 0)
        {
            var kind = errno is 1 or 13 ? ErrorKind.Denied : ErrorKind.Unknown;
            throw new StrataException(kind, "MOUNT_FAILED", $"{what}: {Layers.UnixFs.ErrnoText(errno)}");
        }
    }
}
