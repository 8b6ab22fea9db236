using Strata.Oci;

namespace Strata.Runtime.Bundles;

/// <summary>
/// Resolves a path as the container sees it to a host path inside its root filesystem, following symlinks
/// with the rootfs as "/" (docker's FollowSymlinkInScope): nothing resolves outside the root.
/// </summary>
public static class RootfsPath
{
    private const int MaxLinks = 40;

    /// <summary>The host path for <paramref name="path"/>; the last component is followed when it is a symlink unless <paramref name="followLast"/> is false.</summary>
    public static string Resolve(string rootfs, string path, bool followLast = true)
    {
        ArgumentNullException.ThrowIfNull(rootfs);
        ArgumentNullException.ThrowIfNull(path);
        var root = Path.GetFullPath(rootfs).TrimEnd('/');
        var pending = new Stack<string>(path.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        var resolved = new List<string>();
        var links = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (resolved.Count > 0)
                {
                    resolved.RemoveAt(resolved.Count - 1);
                }

                continue;
            }

            var host = root + "/" + string.Join('/', resolved.Append(part));
            var info = new FileInfo(host);
            if (info.LinkTarget is { } target && (pending.Count > 0 || followLast))
            {
                if (++links > MaxLinks)
                {
                    throw StrataException.Invalid("PATH_LOOP", $"too many levels of symbolic links in {path}");
                }

                if (target.StartsWith('/'))
                {
                    resolved.Clear();
                }

                foreach (var p in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
                {
                    pending.Push(p);
                }

                continue;
            }

            resolved.Add(part);
        }

        return resolved.Count == 0 ? root : root + "/" + string.Join('/', resolved);
    }
}
