using System.Diagnostics;
using System.Globalization;
using Strata.Oci;
using Strata.Runtime.Bundles;
using Strata.Storage.Images;

namespace Strata.Runtime.Containers;

/// <summary>Processes in a running container: <c>exec</c> (started by the caller on its own terminal) and <c>top</c>.</summary>
public sealed class ContainerExec
{
    private readonly ContainerManager _containers;

    public ContainerExec(ContainerManager containers) => _containers = containers;

    /// <summary>
    /// <c>exec</c>: runs the command in the container on this process's own terminal or pipes (the runtime
    /// inherits them) and returns its exit code; with <see cref="ExecOptions.Detach"/> starts it in the background and returns 0.
    /// </summary>
    public async Task<int> RunAsync(string nameOrId, ExecOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var psi = await ExecStartInfoAsync(nameOrId, options, cancellationToken).ConfigureAwait(false);
        if (options.Detach)
        {
            psi.RedirectStandardInput = true;
            psi.RedirectStandardOutput = true;
            psi.RedirectStandardError = true;
        }

        using var p = Process.Start(psi) ?? throw StrataException.Unavailable("RUNTIME_START", "cannot start the OCI runtime");
        if (psi.RedirectStandardInput)
        {
            p.StandardInput.Close();
        }

        if (options.Detach)
        {
            return 0;
        }

        // The command runs to its end even when this caller is interrupted: its exit code is the result.
        await p.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        return p.ExitCode;
    }

    /// <summary>
    /// <c>exec</c>: checks the container runs and the program exists in it (docker's 126/127 otherwise), then
    /// returns the runtime's <c>exec</c> for the caller to run in the foreground on its own terminal/pipes.
    /// </summary>
    public async Task<ProcessStartInfo> ExecStartInfoAsync(string nameOrId, ExecOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var c = await _containers.GetAsync(nameOrId, cancellationToken).ConfigureAwait(false);
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

        var rootfs = _containers.RootfsDir(c.Id);
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
        var psi = _containers.RuntimeFor(c.Spec).ExecStartInfo(c.Id, options.Command, options.Tty, process.Env, options.WorkingDir, user);
        psi.RedirectStandardInput = !options.Interactive;
        return psi;
    }

    /// <summary><c>top</c>: the container's processes as <c>ps -f</c> shows them.</summary>
    public async Task<string> TopAsync(string nameOrId, IReadOnlyList<string> psArgs, CancellationToken cancellationToken = default)
    {
        var c = await _containers.GetAsync(nameOrId, cancellationToken).ConfigureAwait(false);
        if (c.State.Status is not (ContainerStatus.Running or ContainerStatus.Paused))
        {
            throw StrataException.Precondition("CONTAINER_NOT_RUNNING", $"container {c.Id} is not running");
        }

        var pids = await _containers.RuntimeFor(c.Spec).PidsAsync(c.Id, cancellationToken).ConfigureAwait(false);
        var psi = new ProcessStartInfo("ps") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in psArgs.Count > 0 ? psArgs : ["-f"])
        {
            psi.ArgumentList.Add(a);
        }

        psi.ArgumentList.Add("-p");
        psi.ArgumentList.Add(string.Join(',', pids.DefaultIfEmpty(c.State.Pid)));
        using var p = Process.Start(psi) ?? throw StrataException.Unavailable("PS", "cannot run ps");
        var output = await p.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await p.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return output;
    }
}
