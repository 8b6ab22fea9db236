using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Strata.Oci;
using Strata.Runtime.Bundles;
using Strata.Runtime.Logs;
using Strata.Runtime.Oci;
using Strata.Storage.Snapshots;

namespace Strata.Runtime.Containers;

public sealed partial class ContainerManager
{
    /// <summary>
    /// <c>start</c> (detached): hands the container to a new monitor process and waits until it runs (or fails
    /// to start, which throws with the runtime's message).
    /// </summary>
    public async Task<ContainerRecord> StartDetachedAsync(string nameOrId, CancellationToken cancellationToken = default)
    {
        var c = await ClaimStartAsync(nameOrId, cancellationToken).ConfigureAwait(false);
        if (c is null)
        {
            return await GetAsync(nameOrId, cancellationToken).ConfigureAwait(false);
        }

        if (MonitorCommand.Count == 0)
        {
            throw StrataException.Precondition("MONITOR_UNSET", "the monitor command is not configured");
        }

        var log = Path.Combine(ContainerDir(c.Id), "monitor.log");
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var a in new[] { "-c", "exec setsid -f \"$@\" </dev/null >>\"$0\" 2>&1", log })
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var a in MonitorCommand.Append("container-monitor").Append(c.Id))
        {
            psi.ArgumentList.Add(a);
        }

        using (var p = Process.Start(psi) ?? throw StrataException.Unavailable("MONITOR_START", "cannot start the container monitor"))
        {
            await p.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var now = await Store.ResolveAsync(c.Id, cancellationToken).ConfigureAwait(false);
            if ((now.State.Status == ContainerStatus.Running && now.State.Pid > 0) || (now.State.Status == ContainerStatus.Exited && now.State.StartedAt > c.State.StartedAt))
            {
                if (now.State.Status == ContainerStatus.Exited && now.State.Error.Length > 0)
                {
                    throw new StrataException(ErrorKind.FailedPrecondition, "CONTAINER_START", now.State.Error) { ExitCode = ExitCodeForStartError(now.State.Error) };
                }

                return now;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw StrataException.Unavailable("CONTAINER_START_TIMEOUT", $"container {c.ShortId} did not start within 30s; see {log}");
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary><c>run</c> without <c>-d</c> / <c>start -a</c>: this process is the monitor; returns the exit code.</summary>
    public async Task<int> RunAttachedAsync(string nameOrId, AttachMode mode, CancellationToken cancellationToken = default)
    {
        var c = await ClaimStartAsync(nameOrId, cancellationToken).ConfigureAwait(false)
            ?? throw StrataException.Precondition("CONTAINER_RUNNING", $"container {nameOrId} is already running; use `strata attach` or `strata logs -f`");
        var result = await MonitorLoopAsync(c, mode, cancellationToken).ConfigureAwait(false);
        if (result.StartError is { } error)
        {
            throw new StrataException(ErrorKind.FailedPrecondition, "CONTAINER_START", error) { ExitCode = ExitCodeForStartError(error) };
        }

        return result.ExitCode;
    }

    /// <summary>The monitor process (<c>strata container-monitor ID</c>): runs the container until it stops for good.</summary>
    public async Task<int> MonitorAsync(string id, CancellationToken cancellationToken = default)
    {
        var c = await Store.ResolveAsync(id, cancellationToken).ConfigureAwait(false);
        var result = await MonitorLoopAsync(c, AttachMode.Detached, cancellationToken).ConfigureAwait(false);
        return result.ExitCode;
    }

    /// <summary>Marks the container as starting (under the database lock, so two starts cannot both run it); null when it already runs.</summary>
    private async Task<ContainerRecord?> ClaimStartAsync(string nameOrId, CancellationToken cancellationToken)
    {
        var c = await GetAsync(nameOrId, cancellationToken).ConfigureAwait(false);
        var claimed = false;
        var updated = await Store.UpdateStateAsync(c.Id, s =>
        {
            if (s.IsActive || s.Status == ContainerStatus.Removing)
            {
                return s;
            }

            claimed = true;
            return s with { Status = ContainerStatus.Restarting, MonitorPid = Environment.ProcessId, StoppedByUser = false, Error = string.Empty, StartedAt = DateTimeOffset.UtcNow };
        }, cancellationToken).ConfigureAwait(false);
        if (updated.State.Status == ContainerStatus.Removing)
        {
            throw StrataException.Precondition("CONTAINER_REMOVING", $"container {c.ShortId} is being removed");
        }

        return claimed ? updated : null;
    }

    private async Task<RunResult> MonitorLoopAsync(ContainerRecord c, AttachMode mode, CancellationToken cancellationToken)
    {
        var restarts = c.State.RestartCount;
        var delay = TimeSpan.FromMilliseconds(100);
        RunResult result;
        try
        {
            while (true)
            {
                var started = DateTimeOffset.UtcNow;
                result = await RunOnceAsync(c, mode, cancellationToken).ConfigureAwait(false);
                var finished = DateTimeOffset.UtcNow;
                var state = await Store.UpdateStateAsync(c.Id, s => s with
                {
                    Status = ContainerStatus.Exited,
                    ExitCode = result.ExitCode,

                    // Inferred: the runtime's foreground run removes the cgroup before its memory events can be read.
                    OomKilled = result.StartError is null && result.ExitCode == 137 && c.Spec.Resources.MemoryBytes > 0 && !s.StoppedByUser,
                    Pid = 0,
                    FinishedAt = finished,
                    Error = result.StartError ?? string.Empty,
                }, CancellationToken.None).ConfigureAwait(false);
                if (mode != AttachMode.Detached || result.StartError is not null
                    || !c.Spec.Restart.ShouldRestart(result.ExitCode, restarts, state.State.StoppedByUser))
                {
                    break;
                }

                // Docker's back-off: doubles from 100 ms, reset after a run of 10 s or more.
                delay = finished - started > TimeSpan.FromSeconds(10) ? TimeSpan.FromMilliseconds(100) : delay;
                restarts++;
                await Store.UpdateStateAsync(c.Id, s => s with { Status = ContainerStatus.Restarting, RestartCount = restarts, MonitorPid = Environment.ProcessId }, CancellationToken.None).ConfigureAwait(false);
                await Task.Delay(delay, CancellationToken.None).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMinutes(1).Ticks));

                // Stopped or being removed during the back-off: it stays exited; otherwise the next run starts now.
                var again = await Store.UpdateStateAsync(c.Id, s => s.StoppedByUser || s.Status == ContainerStatus.Removing
                    ? s with { Status = s.Status == ContainerStatus.Removing ? s.Status : ContainerStatus.Exited }
                    : s with { StartedAt = DateTimeOffset.UtcNow }, CancellationToken.None).ConfigureAwait(false);
                if (again.State.StoppedByUser || again.State.Status == ContainerStatus.Removing)
                {
                    break;
                }
            }
        }
        finally
        {
            UnmountRootfs(c.Id);
            await Store.UpdateStateAsync(c.Id, s => s.MonitorPid == Environment.ProcessId ? s with { MonitorPid = 0 } : s, CancellationToken.None).ConfigureAwait(false);
        }

        if (c.Spec.AutoRemove)
        {
            await RemoveAsync(c.Id, force: true, removeVolumes: true, CancellationToken.None).ConfigureAwait(false);
        }

        return result;
    }

    private async Task<RunResult> RunOnceAsync(ContainerRecord c, AttachMode mode, CancellationToken cancellationToken)
    {
        var runtime = RuntimeFor(c.Spec);
        var dir = ContainerDir(c.Id);
        var pidFile = Path.Combine(dir, "pidfile");
        var runtimeLog = Path.Combine(dir, "runtime.log");
        File.Delete(pidFile);
        File.Delete(runtimeLog);
        await runtime.DeleteAsync(c.Id, cancellationToken).ConfigureAwait(false);
        Events.Step("start: runtime state clean");
        Network.ContainerNetwork? network;
        try
        {
            network = await AttachNetworkAsync(c, cancellationToken).ConfigureAwait(false);
        }
        catch (StrataException e)
        {
            return new RunResult(e.ExitCode ?? 125, e.Message);
        }

        try
        {
            return await RunInNetworkAsync(c, mode, runtime, network, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (network is not null)
            {
                await Networks.DetachAsync(c.Id, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Puts the container on its networks; null for host/none, and (loopback only) where the host does not allow
    /// bridges. Bad requests (a fixed address someone holds, a network that is gone) fail the start.
    /// </summary>
    private async Task<Network.ContainerNetwork?> AttachNetworkAsync(ContainerRecord c, CancellationToken cancellationToken)
    {
        try
        {
            var network = await Networks.AttachAsync(c, cancellationToken).ConfigureAwait(false);
            foreach (var w in network?.Warnings ?? [])
            {
                Events.Notice(w);
            }

            return network;
        }
        catch (StrataException e) when (e.Kind == ErrorKind.Unavailable && e.Code == Network.NetworkErrors.Setup)
        {
            Events.Notice($"container {c.ShortId} gets loopback only: {e.Message}");
            return null;
        }
    }

    private static async Task<string> HostResolvConfAsync(CancellationToken cancellationToken) =>
        File.Exists("/etc/resolv.conf") ? await File.ReadAllTextAsync("/etc/resolv.conf", cancellationToken).ConfigureAwait(false) : string.Empty;

    private async Task<RunResult> RunInNetworkAsync(ContainerRecord c, AttachMode mode, OciRuntime runtime, Network.ContainerNetwork? network, CancellationToken cancellationToken)
    {
        var dir = ContainerDir(c.Id);
        var pidFile = Path.Combine(dir, "pidfile");
        var runtimeLog = Path.Combine(dir, "runtime.log");
        try
        {
            await PrepareBundleAsync(c, mode == AttachMode.Terminal, network, cancellationToken).ConfigureAwait(false);
        }
        catch (StrataException e)
        {
            UnmountRootfs(c.Id);
            return new RunResult(e.ExitCode ?? 125, e.Message);
        }

        using var forwarder = c.Spec.Publish.Count > 0 ? new PortForwarder(c.Spec.Publish) : null;
        Network.DnsResponder? dns = null;
        try
        {
            forwarder?.Bind();
            if (network is { HasNameResolution: true })
            {
                var upstreams = network.InternalOnly ? [] : Network.ContainerNameFiles.Upstreams(c.Spec, await HostResolvConfAsync(cancellationToken).ConfigureAwait(false));
                dns = Network.DnsResponder.Start(network.NamespacePath, Networks.NamesFor(c.Id), upstreams);
            }
        }
        catch (StrataException e)
        {
            UnmountRootfs(c.Id);
            return new RunResult(125, e.Message);
        }

        using var dnsScope = dns;

        Events.Step("start: bundle written");
        var psi = runtime.RunStartInfo(c.Id, dir, pidFile, runtimeLog);
        var terminal = mode == AttachMode.Terminal;
        psi.RedirectStandardInput = !terminal;
        psi.RedirectStandardOutput = !terminal;
        psi.RedirectStandardError = !terminal;
        using var log = terminal ? null : new JsonLogWriter(LogPath(c.Id));
        using var p = Process.Start(psi) ?? throw StrataException.Unavailable("RUNTIME_START", $"cannot start {runtime.Path}");
        var pumps = new List<Task>();
        if (!terminal)
        {
            pumps.Add(PumpAsync(p.StandardOutput.BaseStream, "stdout", log!, mode == AttachMode.Pipes ? Stdio.OpenStdout() : null));
            pumps.Add(PumpAsync(p.StandardError.BaseStream, "stderr", log!, mode == AttachMode.Pipes ? Stdio.OpenStderr() : null));
            if (mode == AttachMode.Pipes && c.Spec.OpenStdin)
            {
                _ = CopyStdinAsync(Stdio, p.StandardInput.BaseStream);
            }
            else if (!c.Spec.OpenStdin)
            {
                p.StandardInput.Close();
            }

            // Detached with -i: the pipe stays open (and empty) for as long as the container runs, as docker keeps stdin open.
        }

        var pid = await WaitForPidAsync(pidFile, p).ConfigureAwait(false);
        if (pid > 0)
        {
            await Store.UpdateStateAsync(c.Id, s => s with { Status = ContainerStatus.Running, Pid = pid, MonitorPid = Environment.ProcessId }, CancellationToken.None).ConfigureAwait(false);
            forwarder?.Start(pid);
        }

        Events.Step("start: container running");
        var health = pid > 0
            ? await Health.HealthMonitor.StartAsync(Store, c, Path.Combine(dir, "health.pid"), (cmd, pf) => Health.HealthProbe.StartInfo(RuntimeFor(c.Spec), c, RootfsDir(c.Id), cmd, pf), CancellationToken.None).ConfigureAwait(false)
            : null;
        try
        {
            await p.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            if (health is not null)
            {
                await health.DisposeAsync().ConfigureAwait(false);
            }
        }

        await Task.WhenAll(pumps).ConfigureAwait(false);
        log?.Flush();
        Events.Step("start: runtime exited");
        var exit = p.ExitCode;
        string? startError = null;
        if (pid == 0)
        {
            startError = RuntimeError(runtimeLog) ?? $"the runtime ({runtime.Name}) exited with {exit} before the container started";
        }

        await runtime.DeleteAsync(c.Id, CancellationToken.None).ConfigureAwait(false);
        return new RunResult(startError is null ? exit : ExitCodeForStartError(startError), startError);
    }

    private static async Task<int> WaitForPidAsync(string pidFile, Process runtime)
    {
        while (true)
        {
            if (File.Exists(pidFile)
                && int.TryParse((await File.ReadAllTextAsync(pidFile).ConfigureAwait(false)).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0)
            {
                return pid;
            }

            if (runtime.HasExited)
            {
                return 0;
            }

            await Task.Delay(5).ConfigureAwait(false);
        }
    }

    private static async Task PumpAsync(Stream from, string stream, JsonLogWriter log, Stream? console)
    {
        var buf = new byte[16384];
        int n;
        while ((n = await from.ReadAsync(buf).ConfigureAwait(false)) > 0)
        {
            log.Write(stream, buf.AsSpan(0, n));
            if (console is not null)
            {
                try
                {
                    await console.WriteAsync(buf.AsMemory(0, n)).ConfigureAwait(false);
                    await console.FlushAsync().ConfigureAwait(false);
                }
                catch (IOException)
                {
                    console = null;
                }
            }
        }
    }

    private static async Task CopyStdinAsync(ContainerStdio stdio, Stream to)
    {
        try
        {
            await using var stdin = stdio.OpenStdin();
            await stdin.CopyToAsync(to).ConfigureAwait(false);
        }
        catch (IOException)
        {
        }
        finally
        {
            try
            {
                to.Close();
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>The runtime's own error (its JSON log's last error message).</summary>
    private static string? RuntimeError(string logFile)
    {
        if (!File.Exists(logFile))
        {
            return null;
        }

        string? last = null;
        foreach (var line in File.ReadLines(logFile))
        {
            try
            {
                using var doc = JsonDocument.Parse(line);
                if (doc.RootElement.TryGetProperty("level", out var level) && level.GetString() is "error" or "fatal"
                    && doc.RootElement.TryGetProperty("msg", out var msg))
                {
                    last = msg.GetString();
                }
            }
            catch (JsonException)
            {
                if (line.Trim().Length > 0)
                {
                    last = line.Trim();
                }
            }
        }

        return last;
    }

    private static int ExitCodeForStartError(string error) =>
        error.Contains("executable file not found", StringComparison.OrdinalIgnoreCase) || error.Contains("no such file or directory", StringComparison.OrdinalIgnoreCase) ? 127
        : error.Contains("permission denied", StringComparison.OrdinalIgnoreCase) ? 126
        : 125;

    /// <summary>Mounts the root filesystem and writes the bundle (config.json, hosts, resolv.conf, hostname).</summary>
    private async Task PrepareBundleAsync(ContainerRecord c, bool terminal, Network.ContainerNetwork? network, CancellationToken cancellationToken)
    {
        var dir = ContainerDir(c.Id);
        var rootfs = RootfsDir(c.Id);
        Directory.CreateDirectory(rootfs);
        if (!IsMounted(rootfs))
        {
            await MountRootfsAsync(c, rootfs, cancellationToken).ConfigureAwait(false);
        }

        var hostname = c.Spec.Hostname;
        var hosts = Path.Combine(dir, "hosts");
        var resolv = Path.Combine(dir, "resolv.conf");
        var hostnameFile = Path.Combine(dir, "hostname");
        var hostHosts = c.Spec.Network == "host" && File.Exists("/etc/hosts") ? await File.ReadAllTextAsync("/etc/hosts", cancellationToken).ConfigureAwait(false) : null;
        var links = await Networks.LinkHostsAsync(c, network, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(hosts, Network.ContainerNameFiles.Hosts(c, network, links, hostHosts), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(resolv, Network.ContainerNameFiles.ResolvConf(c.Spec, network, await HostResolvConfAsync(cancellationToken).ConfigureAwait(false)), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(hostnameFile, hostname + "\n", cancellationToken).ConfigureAwait(false);

        var userMounts = new List<BundleMount>();
        foreach (var m in c.Spec.Mounts)
        {
            userMounts.Add(await ResolveMountAsync(c, m, rootfs, cancellationToken).ConfigureAwait(false));
        }

        var process = ProcessResolver.Resolve(c.Spec, rootfs, terminal);
        if (c.Spec.Init)
        {
            process = InitBinary.Wrap(process);
            userMounts.Add(new BundleMount(InitBinary.MountPoint, "bind", InitBinary.Find(), ["bind", "rprivate", "ro"]));
        }

        var config = BundleWriter.Write(new BundleRequest
        {
            Container = c,
            Rootfs = rootfs,
            HostsFile = hosts,
            ResolvConfFile = resolv,
            HostnameFile = hostnameFile,
            UserMounts = userMounts,
            CgroupsPath = "/strata/" + c.Id,
            NetworkNamespacePath = network?.NamespacePath,
        }, process);
        var tmp = Path.Combine(dir, "config.json.tmp");
        await File.WriteAllBytesAsync(tmp, config, cancellationToken).ConfigureAwait(false);
        File.Move(tmp, Path.Combine(dir, "config.json"), overwrite: true);
    }

    private async Task<BundleMount> ResolveMountAsync(ContainerRecord c, MountPoint m, string rootfs, CancellationToken cancellationToken)
    {
        var ro = m.ReadOnly ? "ro" : "rw";
        switch (m.Type)
        {
            case "bind":
                if (!Path.Exists(m.Source))
                {
                    Directory.CreateDirectory(m.Source); // docker -v creates a missing host directory
                }

                return new BundleMount(m.Destination, "bind", m.Source, ["rbind", "rprivate", ro]);
            case "tmpfs":
                List<string> options = ["nosuid", "nodev", "noexec", ro, "mode=1777"];
                if (m.TmpfsSize > 0)
                {
                    options.Add("size=" + m.TmpfsSize.ToString(CultureInfo.InvariantCulture));
                }

                return new BundleMount(m.Destination, "tmpfs", "tmpfs", options);
            default:
                // Created with the container; made again only if it went missing since.
                var volume = await Volumes.TryGetAsync(m.Source, cancellationToken).ConfigureAwait(false)
                    ?? (await Volumes.CreateAsync(m.Source, null, m.Anonymous, cancellationToken).ConfigureAwait(false)).Volume;
                await SeedVolumeAsync(c, volume.Mountpoint, rootfs, m.Destination, cancellationToken).ConfigureAwait(false);
                return new BundleMount(m.Destination, "bind", volume.Mountpoint, ["rbind", "rprivate", ro]);
        }
    }

    /// <summary>A new, empty volume starts with what the image has at its mount point (docker's copy-up), once.</summary>
    private static async Task SeedVolumeAsync(ContainerRecord c, string data, string rootfs, string destination, CancellationToken cancellationToken)
    {
        var marker = Path.Combine(Path.GetDirectoryName(data)!, ".seeded");
        if (File.Exists(marker))
        {
            return;
        }

        if (!Directory.EnumerateFileSystemEntries(data).Any())
        {
            var source = RootfsPath.Resolve(rootfs, destination);
            if (Directory.Exists(source) && Directory.EnumerateFileSystemEntries(source).Any())
            {
                await Storage.Snapshots.TreeCopier.CopyAsync(source, data, cancellationToken).ConfigureAwait(false);
            }
        }

        await File.WriteAllTextAsync(marker, c.Id, cancellationToken).ConfigureAwait(false);
    }
}
