using System.Diagnostics;
using System.Globalization;
using Strata.Oci;
using Strata.Runtime.Bundles;
using Strata.Storage.Images;

namespace Strata.Runtime.Containers;

public sealed partial class ContainerManager
{
    /// <summary>
    /// <c>exec</c>: checks the container runs and the program exists in it (docker's 126/127 otherwise), then
    /// returns the runtime's <c>exec</c> for the caller to run in the foreground on its own terminal/pipes.
    /// </summary>
    public async Task<ProcessStartInfo> ExecStartInfoAsync(string nameOrId, ExecOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var c = await GetAsync(nameOrId, cancellationToken).ConfigureAwait(false);
        if (c.State.Status == ContainerStatus.Paused)
        {
            throw new StrataException(ErrorKind.Conflict, "CONTAINER_PAUSED", $"container {c.Id} is paused, unpause the container before exec");
        }

        if (c.State.Status != ContainerStatus.Running)
        {
            throw new StrataException(ErrorKind.Conflict, "CONTAINER_NOT_RUNNING", $"container {c.Id} is not running");
        }

        if (options.Command.Count == 0)
        {
            throw StrataException.Invalid("EXEC_NO_COMMAND", "exec requires at least 1 argument: CONTAINER COMMAND [ARG...]");
        }

        var rootfs = RootfsDir(c.Id);
        string? user = null;
        if (!string.IsNullOrEmpty(options.User))
        {
            var (uid, gid, _) = UserSpec.Resolve(options.User, rootfs);
            user = string.Create(CultureInfo.InvariantCulture, $"{uid}:{gid}");
        }

        // The same PATH lookup as at start, with the container's environment and the exec's additions.
        var env = ConfigChanges.MergeEnv(c.Spec.Env, options.Env);
        var process = ProcessResolver.Resolve(c.Spec with { Entrypoint = [], Cmd = options.Command, Env = env, User = options.User ?? c.Spec.User }, rootfs, options.Tty);

        // crun's --env replaces the process environment (runc's appends): always pass the whole, merged one.
        var psi = RuntimeFor(c.Spec).ExecStartInfo(c.Id, options.Command, options.Tty, process.Env, options.WorkingDir, user);
        psi.RedirectStandardInput = !options.Interactive;
        return psi;
    }

    /// <summary>The exec of one health probe: the container's user and environment, no terminal, its PID into <paramref name="pidFile"/>.</summary>
    private ProcessStartInfo HealthProbeStartInfo(ContainerRecord c, IReadOnlyList<string> command, string pidFile)
    {
        var process = ProcessResolver.Resolve(c.Spec with { Entrypoint = [], Cmd = command }, RootfsDir(c.Id), terminal: false);
        var user = string.Create(CultureInfo.InvariantCulture, $"{process.Uid}:{process.Gid}");
        return RuntimeFor(c.Spec).ExecStartInfo(c.Id, process.Args, false, process.Env, process.Cwd, user, pidFile);
    }
}
