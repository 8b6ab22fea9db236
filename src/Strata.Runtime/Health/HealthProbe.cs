using System.Diagnostics;
using System.Globalization;
using Strata.Runtime.Bundles;
using Strata.Runtime.Containers;
using Strata.Runtime.Oci;

namespace Strata.Runtime.Health;

/// <summary>The exec of one health probe: the container's user and environment, no terminal, its PID into a file.</summary>
public static class HealthProbe
{
    public static ProcessStartInfo StartInfo(OciRuntime runtime, ContainerRecord container, string rootfs, IReadOnlyList<string> command, string pidFile)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(container);
        var process = ProcessResolver.Resolve(container.Spec with { Entrypoint = [], Cmd = command }, rootfs, terminal: false);
        var user = string.Create(CultureInfo.InvariantCulture, $"{process.Uid}:{process.Gid}");
        return runtime.ExecStartInfo(container.Id, process.Args, false, process.Env, process.Cwd, user, pidFile);
    }
}
