using System.Globalization;
using Strata.Oci;

namespace Strata.Runtime.Bundles;

/// <summary>
/// Resolves USER / --chown values (<c>name</c>, <c>uid</c>, <c>name:group</c>, <c>uid:gid</c>) against the
/// root filesystem's /etc/passwd and /etc/group, as Docker does: numeric IDs need no entry, names must exist.
/// </summary>
public static class UserSpec
{
    public static (int Uid, int Gid, string? Home) Resolve(string? spec, string rootfs)
    {
        if (string.IsNullOrEmpty(spec))
        {
            return (0, 0, LookupPasswd(rootfs, "root", byName: true)?.Home ?? "/root");
        }

        var parts = spec.Split(':', 2);
        int uid;
        int gid;
        string? home = null;
        if (int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out uid))
        {
            var entry = LookupPasswd(rootfs, parts[0], byName: false);
            gid = entry?.Gid ?? 0;
            home = entry?.Home;
        }
        else
        {
            var entry = LookupPasswd(rootfs, parts[0], byName: true)
                ?? throw StrataException.Invalid("USER_UNKNOWN", $"unable to find user {parts[0]}: no matching entries in passwd file");
            uid = entry.Uid;
            gid = entry.Gid;
            home = entry.Home;
        }

        if (parts.Length == 2)
        {
            if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out gid))
            {
                gid = LookupGroup(rootfs, parts[1])
                    ?? throw StrataException.Invalid("GROUP_UNKNOWN", $"unable to find group {parts[1]}: no matching entries in group file");
            }
        }

        return (uid, gid, home);
    }

    private static (int Uid, int Gid, string Home)? LookupPasswd(string rootfs, string key, bool byName)
    {
        var file = SafeEtc(rootfs, "passwd");
        if (file is null)
        {
            return null;
        }

        foreach (var line in File.ReadLines(file))
        {
            var f = line.Split(':');
            if (f.Length < 6)
            {
                continue;
            }

            if ((byName ? f[0] : f[2]) == key
                && int.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var u)
                && int.TryParse(f[3], NumberStyles.None, CultureInfo.InvariantCulture, out var g))
            {
                return (u, g, f[5]);
            }
        }

        return null;
    }

    private static int? LookupGroup(string rootfs, string name)
    {
        var file = SafeEtc(rootfs, "group");
        if (file is null)
        {
            return null;
        }

        foreach (var line in File.ReadLines(file))
        {
            var f = line.Split(':');
            if (f.Length >= 3 && f[0] == name && int.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var g))
            {
                return g;
            }
        }

        return null;
    }

    // /etc/passwd in an image may be a symlink; only read it when it is a regular file inside the rootfs.
    private static string? SafeEtc(string rootfs, string name)
    {
        var path = Path.Combine(rootfs, "etc", name);
        var info = new FileInfo(path);
        return info.Exists && info.LinkTarget is null ? path : null;
    }
}
