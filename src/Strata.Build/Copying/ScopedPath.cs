using Strata.Oci;
using Strata.Storage.Layers;

namespace Strata.Build.Copying;

/// <summary>
/// Resolves a container path inside a root filesystem on the host, following symlinks as the container would
/// see them and never leaving the root (moby's symlink.FollowSymlinkInScope): <c>..</c> and absolute link
/// targets are taken relative to the root.
/// </summary>
public static class ScopedPath
{
    private const int MaxLinks = 255;

    /// <summary>
    /// The host path of <paramref name="containerPath"/> under <paramref name="root"/>. With
    /// <paramref name="followFinal"/> false a final symlink is not followed (it is what gets replaced).
    /// </summary>
    public static string Resolve(string root, string containerPath, bool followFinal = true)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(containerPath);
        var parts = new List<string>();
        var pending = new Stack<string>(Split(containerPath).Reverse());
        var links = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            var candidate = Path.Combine(root, string.Join('/', parts), part);
            var isFinal = pending.Count == 0;
            var st = UnixFs.TryLstat(candidate);
            if (st is { IsSymlink: true } && (followFinal || !isFinal))
            {
                if (++links > MaxLinks)
                {
                    throw StrataException.Invalid("SYMLINK_LOOP", $"too many symlinks resolving {containerPath}");
                }

                var target = new FileInfo(candidate).LinkTarget ?? string.Empty;
                if (target.StartsWith('/'))
                {
                    parts.Clear();
                }

                foreach (var t in Split(target).Reverse())
                {
                    pending.Push(t);
                }

                continue;
            }

            parts.Add(part);
        }

        return parts.Count == 0 ? root : Path.Combine(root, string.Join('/', parts));
    }

    private static IEnumerable<string> Split(string p) => p.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(x => x != ".");
}
