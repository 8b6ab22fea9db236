namespace Strata.Runtime.Bundles;

/// <summary>
/// Docker's init layer: a read-only layer between an image and a writable upper dir holding the mount points the
/// runtime needs (/proc, /dev, /sys, /etc/hosts, /etc/resolv.conf, /etc/hostname and any extra mount target), so
/// they never show in <c>diff</c>, a commit or a build step's layer, and a read-only root filesystem still has them.
/// Containers and build steps both use it, with the bundle <see cref="BundleWriter"/> writes.
/// </summary>
public static class InitLayer
{
    private static readonly string[] Dirs = ["proc", "dev", "sys", "etc"];

    private static readonly string[] Files = ["etc/hosts", "etc/resolv.conf", "etc/hostname"];

    /// <summary>Creates the mount points in <paramref name="dir"/>; each extra target is a file or a directory.</summary>
    public static void Populate(string dir, IEnumerable<(string Destination, bool IsFile)> extraTargets)
    {
        ArgumentNullException.ThrowIfNull(extraTargets);
        foreach (var d in Dirs)
        {
            Directory.CreateDirectory(Path.Combine(dir, d));
        }

        foreach (var f in Files)
        {
            File.WriteAllBytes(Path.Combine(dir, f), []);
        }

        foreach (var (destination, isFile) in extraTargets)
        {
            var target = Path.Combine(dir, destination.TrimStart('/'));
            if (isFile)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                if (!File.Exists(target))
                {
                    File.WriteAllBytes(target, []);
                }
            }
            else
            {
                Directory.CreateDirectory(target);
            }
        }
    }

    /// <summary>
    /// A shared init layer with only the standard mount points at <paramref name="dir"/>, made once (staged and
    /// renamed, so concurrent callers never see half of it).
    /// </summary>
    public static string EnsureShared(string dir)
    {
        if (File.Exists(Path.Combine(dir, "etc", "hostname")))
        {
            return dir;
        }

        var staging = dir + "-" + Guid.NewGuid().ToString("N");
        Populate(staging, []);
        try
        {
            Directory.Move(staging, dir);
        }
        catch (IOException)
        {
            // Made by another process first.
            Directory.Delete(staging, recursive: true);
        }

        return dir;
    }
}
