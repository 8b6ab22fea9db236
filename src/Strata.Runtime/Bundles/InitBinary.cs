using Strata.Oci;

namespace Strata.Runtime.Bundles;

/// <summary>
/// The init <c>--init</c> puts at PID 1: a statically linked tini (Debian's <c>tini</c> package ships
/// <c>tini-static</c>) or catatonit, bind-mounted read-only where docker mounts its docker-init. Static, because the
/// image may have no C library.
/// </summary>
public static class InitBinary
{
    /// <summary>Where docker mounts its init in the container.</summary>
    public const string MountPoint = "/sbin/docker-init";

    private static readonly string[] Candidates = ["/usr/bin/tini-static", "/usr/libexec/podman/catatonit", "/usr/bin/catatonit"];

    /// <summary>The host's init binary (<c>STRATA_INIT_PATH</c> overrides the search).</summary>
    public static string Find()
    {
        if (Environment.GetEnvironmentVariable("STRATA_INIT_PATH") is { Length: > 0 } explicitPath)
        {
            return File.Exists(explicitPath)
                ? explicitPath
                : throw StrataException.Precondition("INIT_NOT_FOUND", $"--init: STRATA_INIT_PATH names {explicitPath}, which does not exist");
        }

        return Candidates.FirstOrDefault(File.Exists)
            ?? throw StrataException.Precondition("INIT_NOT_FOUND", "--init needs a static init binary: install Debian's tini (tini-static) or catatonit");
    }

    /// <summary>The process with the init in front: <c>/sbin/docker-init -- ARGS</c>.</summary>
    public static ProcessSpec Wrap(ProcessSpec process)
    {
        ArgumentNullException.ThrowIfNull(process);
        return process with { Args = [MountPoint, "--", .. process.Args] };
    }
}
