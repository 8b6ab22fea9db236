using Strata.Runtime.Bundles;

namespace Strata.Build.Running;

/// <summary>
/// The mount point of a <c>RUN --mount</c> whose target the image lacks: created in the step's root filesystem
/// for the run and removed after it while still empty, so it never shows in the step's layer (BuildKit removes
/// its mount stubs the same way).
/// </summary>
internal static class MountStub
{
    /// <summary>Creates the target; returns the topmost path that was created (null: it existed).</summary>
    public static string? Create(string rootfs, string destination, bool isFile)
    {
        var host = RootfsPath.Resolve(rootfs, destination);
        if (Path.Exists(host))
        {
            return null;
        }

        var top = host;
        for (var parent = Path.GetDirectoryName(host); parent is not null && parent.Length > rootfs.TrimEnd('/').Length && !Path.Exists(parent); parent = Path.GetDirectoryName(parent))
        {
            top = parent;
        }

        if (isFile)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(host)!);
            File.WriteAllBytes(host, []);
        }
        else
        {
            Directory.CreateDirectory(host);
        }

        return top;
    }

    /// <summary>Removes a stub if it holds nothing but empty directories and empty stub files.</summary>
    public static void Remove(string top)
    {
        try
        {
            if (File.Exists(top))
            {
                if (new FileInfo(top).Length == 0)
                {
                    File.Delete(top);
                }

                return;
            }

            if (Directory.Exists(top) && OnlyEmpty(top))
            {
                Directory.Delete(top, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static bool OnlyEmpty(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).All(f => new FileInfo(f).Length == 0 && new FileInfo(f).LinkTarget is null);
}
