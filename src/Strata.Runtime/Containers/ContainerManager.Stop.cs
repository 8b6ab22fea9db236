using Strata.Oci;

namespace Strata.Runtime.Containers;

public sealed partial class ContainerManager
{
    /// <summary><c>stop</c>: the stop signal, then SIGKILL after <paramref name="timeout"/> (default the container's, else 10 s).</summary>
    public async Task<ContainerRecord> StopAsync(string nameOrId, int? timeout, CancellationToken cancellationToken = default)
    {
        var c = await GetAsync(nameOrId, cancellationToken).ConfigureAwait(false);
        c = await Store.UpdateStateAsync(c.Id, s => s.IsActive ? s with { StoppedByUser = true } : s, cancellationToken).ConfigureAwait(false);
        if (!c.State.IsActive)
        {
            return c;
        }

        var runtime = RuntimeFor(c.Spec);
        if (c.State.Status == ContainerStatus.Paused)
        {
            await runtime.ResumeAsync(c.Id, cancellationToken).ConfigureAwait(false);
        }

        var wait = TimeSpan.FromSeconds(timeout ?? c.Spec.StopTimeout ?? 10);
        if (wait > TimeSpan.Zero && c.State.Status != ContainerStatus.Restarting)
        {
            await runtime.KillAsync(c.Id, c.Spec.StopSignal, cancellationToken).ConfigureAwait(false);
            if (await WaitStoppedAsync(c.Id, wait, cancellationToken).ConfigureAwait(false) is { } stopped)
            {
                return stopped;
            }
        }

        await runtime.KillAsync(c.Id, "KILL", cancellationToken).ConfigureAwait(false);
        return await WaitStoppedAsync(c.Id, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false)
            ?? throw StrataException.Unavailable("CONTAINER_STOP", $"container {c.ShortId} did not stop after SIGKILL");
    }

    /// <summary><c>kill</c>: sends a signal (default SIGKILL) to the container's init process.</summary>
    public async Task<ContainerRecord> KillAsync(string nameOrId, string signal, CancellationToken cancellationToken = default)
    {
        var c = await GetAsync(nameOrId, cancellationToken).ConfigureAwait(false);
        if (c.State.Status is not (ContainerStatus.Running or ContainerStatus.Paused))
        {
            throw StrataException.Precondition("CONTAINER_NOT_RUNNING", $"cannot kill container: {nameOrId}: container {c.Id} is not running");
        }

        var sig = NormalizeSignal(signal);
        if (sig is "SIGKILL" or "SIGTERM" or "SIGINT")
        {
            await Store.UpdateStateAsync(c.Id, s => s with { StoppedByUser = true }, cancellationToken).ConfigureAwait(false);
        }

        var r = await RuntimeFor(c.Spec).KillAsync(c.Id, sig, cancellationToken).ConfigureAwait(false);
        r.ThrowIfFailed($"kill container {nameOrId}");
        if (sig == "SIGKILL")
        {
            await WaitStoppedAsync(c.Id, TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        }

        return c;
    }

    public async Task PauseAsync(string nameOrId, CancellationToken cancellationToken = default)
    {
        var c = await GetAsync(nameOrId, cancellationToken).ConfigureAwait(false);
        if (c.State.Status != ContainerStatus.Running)
        {
            throw StrataException.Precondition("CONTAINER_NOT_RUNNING", c.State.Status == ContainerStatus.Paused
                ? $"container {c.Id} is already paused"
                : $"container {c.Id} is not running");
        }

        (await RuntimeFor(c.Spec).PauseAsync(c.Id, cancellationToken).ConfigureAwait(false)).ThrowIfFailed($"pause container {nameOrId}");
        await Store.UpdateStateAsync(c.Id, s => s.Status == ContainerStatus.Running ? s with { Status = ContainerStatus.Paused } : s, cancellationToken).ConfigureAwait(false);
    }

    public async Task UnpauseAsync(string nameOrId, CancellationToken cancellationToken = default)
    {
        var c = await GetAsync(nameOrId, cancellationToken).ConfigureAwait(false);
        if (c.State.Status != ContainerStatus.Paused)
        {
            throw StrataException.Precondition("CONTAINER_NOT_PAUSED", $"container {c.Id} is not paused");
        }

        (await RuntimeFor(c.Spec).ResumeAsync(c.Id, cancellationToken).ConfigureAwait(false)).ThrowIfFailed($"unpause container {nameOrId}");
        await Store.UpdateStateAsync(c.Id, s => s.Status == ContainerStatus.Paused ? s with { Status = ContainerStatus.Running } : s, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>wait</c>: blocks until the container is not running; returns its exit code.</summary>
    public async Task<int> WaitAsync(string nameOrId, CancellationToken cancellationToken = default)
    {
        var c = await GetAsync(nameOrId, cancellationToken).ConfigureAwait(false);
        while (c.State.IsActive)
        {
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            var now = await Store.TryResolveAsync(c.Id, cancellationToken).ConfigureAwait(false);
            if (now is null)
            {
                return c.State.ExitCode;
            }

            c = await ReconcileAsync(now, cancellationToken).ConfigureAwait(false);
        }

        return c.State.ExitCode;
    }

    public static string NormalizeSignal(string signal)
    {
        var s = signal.Trim().ToUpperInvariant();
        if (int.TryParse(s, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
        {
            return n is > 0 and < 65 ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : throw StrataException.Invalid("SIGNAL_INVALID", $"invalid signal: {signal}");
        }

        s = s.StartsWith("SIG", StringComparison.Ordinal) ? s : "SIG" + s;
        string[] known = ["SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2",
            "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
            "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"];
        return known.Contains(s) ? s : throw StrataException.Invalid("SIGNAL_INVALID", $"invalid signal: {signal}");
    }

    private async Task<ContainerRecord?> WaitStoppedAsync(string id, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var c = await Store.TryResolveAsync(id, cancellationToken).ConfigureAwait(false);
            if (c is null)
            {
                return null;
            }

            c = await ReconcileAsync(c, cancellationToken).ConfigureAwait(false);
            if (!c.State.IsActive)
            {
                return c;
            }

            await Task.Delay(25, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }
}
