namespace Strata.Storage.Snapshots;

/// <summary>Whether overlayfs works under a store root (kernel module, filesystem under it, privileges).</summary>
public static class OverlaySupport
{
    /// <summary>Tries a real overlay mount (with a whiteout and an opaque dir) in a temp dir under <paramref name="root"/>.</summary>
    public static bool IsAvailable(string root)
    {
        Directory.CreateDirectory(root);
        var dir = Path.Combine(root, ".overlay-check-" + Guid.NewGuid().ToString("N")[..12]);
        var merged = Path.Combine(dir, "merged");
        try
        {
            foreach (var d in new[] { "lower", "upper", "work", "merged" })
            {
                Directory.CreateDirectory(Path.Combine(dir, d));
            }

            File.WriteAllText(Path.Combine(dir, "lower", "f"), "x");
            Mounter.Mount(new MountSpec("overlay", "overlay", [$"lowerdir={dir}/lower", $"upperdir={dir}/upper", $"workdir={dir}/work"]), merged);
            try
            {
                // Deleting a lower file needs whiteouts (mknod 0/0 in the upper dir): the part that fails in user namespaces.
                File.Delete(Path.Combine(merged, "f"));
                return !File.Exists(Path.Combine(merged, "f"));
            }
            finally
            {
                Mounter.TryUnmount(merged, detach: true);
            }
        }
        catch (Exception e) when (e is Oci.StrataException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
