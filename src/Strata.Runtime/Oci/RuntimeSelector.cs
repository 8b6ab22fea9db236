using Strata.Oci;

namespace Strata.Runtime.Oci;

/// <summary>
/// Picks the OCI runtime: <c>--runtime</c>/<c>STRATA_RUNTIME</c> when given, else crun when it can run on this
/// host, else runc. crun 1.8 refuses hybrid cgroup hosts while controllers sit on the cgroup2 mount (hugetlb
/// on some kernels); runc does not mind. An explicit crun on such a host fails with what to do about it.
/// </summary>
public static class RuntimeSelector
{
    private const string UnifiedControllers = "/sys/fs/cgroup/unified/cgroup.controllers";

    public static OciRuntime Select(string? requested, string stateBase)
    {
        var name = string.IsNullOrWhiteSpace(requested) ? null : requested.Trim();
        if (name is null)
        {
            var crun = Find("crun");
            if (crun is not null && CrunProblem() is null)
            {
                return Make("crun", crun, stateBase);
            }

            var runc = Find("runc");
            if (runc is not null)
            {
                return Make("runc", runc, stateBase);
            }

            if (crun is not null)
            {
                throw StrataException.Precondition("RUNTIME_UNUSABLE", $"crun cannot run containers here ({CrunProblem()}) and runc is not installed; run `make prepare` or install runc");
            }

            throw StrataException.Precondition("RUNTIME_NOT_FOUND", "no OCI runtime found: install crun or runc (apt-get install crun runc)");
        }

        var path = Find(name) ?? throw StrataException.Precondition("RUNTIME_NOT_FOUND", $"OCI runtime \"{name}\" not found on PATH");
        var shortName = System.IO.Path.GetFileName(path);
        if (shortName == "crun" && CrunProblem() is { } problem)
        {
            throw StrataException.Precondition("RUNTIME_UNUSABLE",
                $"crun cannot run containers on this host: {problem}; mount hugetlb as cgroup v1 (`make prepare` does: mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb) or use --runtime runc");
        }

        return Make(shortName, path, stateBase);
    }

    /// <summary>Why crun would refuse this host, or null.</summary>
    public static string? CrunProblem()
    {
        try
        {
            if (File.Exists(UnifiedControllers) && File.ReadAllText(UnifiedControllers).Trim() is { Length: > 0 } controllers)
            {
                return $"cgroups are in hybrid mode with controllers on cgroup2 ({controllers})";
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }

    private static OciRuntime Make(string name, string path, string stateBase) => new(name, path, System.IO.Path.Combine(stateBase, name));

    /// <summary>A runtime given as a path, or found on PATH (and /usr/bin, /usr/sbin); null when absent.</summary>
    public static string? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(name) ? System.IO.Path.GetFullPath(name) : null;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin").Split(':').Append("/usr/bin").Append("/usr/sbin"))
        {
            var p = System.IO.Path.Combine(dir, name);
            if (File.Exists(p))
            {
                return p;
            }
        }

        return null;
    }
}
