using System.Diagnostics;
using System.Text;
using Strata.Oci;
using Strata.Runtime.Containers;

namespace Strata.Runtime.Health;

/// <summary>
/// Runs a container's health check while it runs, inside the process that watches it (the monitor, or the CLI of an
/// attached run), as docker's daemon does (moby daemon/health.go): the first probe one interval after the start,
/// each probe an exec in the container with a timeout, the result folded into <see cref="ContainerState.Health"/>.
/// </summary>
public sealed class HealthMonitor : IAsyncDisposable
{
    private readonly ContainerStore _store;
    private readonly string _id;
    private readonly HealthSettings _settings;
    private readonly DateTimeOffset _started;
    private readonly Func<IReadOnlyList<string>, string, ProcessStartInfo> _probe;
    private readonly string _pidFile;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    /// <param name="probe">Makes the exec of a probe command in the container, given a file for the process ID.</param>
    private HealthMonitor(ContainerStore store, string id, HealthSettings settings, DateTimeOffset started, string pidFile, Func<IReadOnlyList<string>, string, ProcessStartInfo> probe)
    {
        _store = store;
        _id = id;
        _settings = settings;
        _started = started;
        _pidFile = pidFile;
        _probe = probe;
    }

    /// <summary>Marks the container <c>starting</c> and begins probing; null when it has no health check.</summary>
    public static async Task<HealthMonitor?> StartAsync(ContainerStore store, ContainerRecord container, string pidFile, Func<IReadOnlyList<string>, string, ProcessStartInfo> probe, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(container);
        if (HealthSettings.From(container.Spec.Healthcheck) is not { } settings)
        {
            return null;
        }

        var state = await store.UpdateStateAsync(container.Id, s => s with { Health = (s.Health ?? new HealthState()) with { Status = HealthStatus.Starting, FailingStreak = 0 } }, cancellationToken).ConfigureAwait(false);
        var monitor = new HealthMonitor(store, container.Id, settings, state.State.StartedAt ?? DateTimeOffset.UtcNow, pidFile, probe);
        monitor._loop = Task.Run(monitor.LoopAsync, CancellationToken.None);
        return monitor;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        var status = HealthStatus.Starting;
        try
        {
            while (true)
            {
                var interval = status == HealthStatus.Starting && DateTimeOffset.UtcNow - _started < _settings.StartPeriod ? _settings.StartInterval : _settings.Interval;
                await Task.Delay(interval, _stop.Token).ConfigureAwait(false);
                var result = await ProbeAsync(_stop.Token).ConfigureAwait(false);
                var updated = await _store.UpdateStateAsync(_id, s => s.Status == ContainerStatus.Running
                    ? s with { Health = (s.Health ?? new HealthState()).Apply(result, _settings, _started) }
                    : s, CancellationToken.None).ConfigureAwait(false);
                status = updated.State.Health?.Status ?? status;
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task<HealthLogEntry> ProbeAsync(CancellationToken cancellationToken)
    {
        var start = DateTimeOffset.UtcNow;
        ProcessStartInfo psi;
        try
        {
            File.Delete(_pidFile);
            psi = _probe(_settings.Command, _pidFile);
        }
        catch (StrataException e)
        {
            return new HealthLogEntry { Start = start, End = DateTimeOffset.UtcNow, ExitCode = -1, Output = e.Message };
        }

        psi.RedirectStandardInput = true;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        using var p = Process.Start(psi) ?? throw StrataException.Unavailable("HEALTH_EXEC", $"cannot start {psi.FileName}");
        p.StandardInput.Close();
        var output = new BoundedOutput(HealthSettings.MaxOutputLength);
        var pumps = Task.WhenAll(output.ReadAsync(p.StandardOutput.BaseStream), output.ReadAsync(p.StandardError.BaseStream));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_settings.Timeout);
        try
        {
            await p.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            await pumps.ConfigureAwait(false);
            return new HealthLogEntry { Start = start, End = DateTimeOffset.UtcNow, ExitCode = p.ExitCode, Output = output.ToString() };
        }
        catch (OperationCanceledException)
        {
            KillProbe(p);
            cancellationToken.ThrowIfCancellationRequested();
            return new HealthLogEntry
            {
                Start = start,
                End = DateTimeOffset.UtcNow,
                ExitCode = -1,
                Output = $"Health check exceeded timeout ({_settings.Timeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}s)",
            };
        }
    }

    /// <summary>Kills the probe inside the container (its PID from the runtime's pid file), then the runtime's exec.</summary>
    private void KillProbe(Process exec)
    {
        try
        {
            if (File.Exists(_pidFile) && int.TryParse(File.ReadAllText(_pidFile).Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid) && pid > 0)
            {
                using var probe = Process.GetProcessById(pid);
                probe.Kill();
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
            // Gone already.
        }

        try
        {
            exec.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <summary>stdout and stderr of a probe, interleaved as read, capped as docker caps them.</summary>
    private sealed class BoundedOutput(int limit)
    {
        private readonly MemoryStream _bytes = new();

        public async Task ReadAsync(Stream from)
        {
            var buf = new byte[4096];
            int n;
            while ((n = await from.ReadAsync(buf).ConfigureAwait(false)) > 0)
            {
                lock (_bytes)
                {
                    var room = (int)Math.Max(0, limit - _bytes.Length);
                    _bytes.Write(buf, 0, Math.Min(room, n));
                }
            }
        }

        public override string ToString()
        {
            lock (_bytes)
            {
                return Encoding.UTF8.GetString(_bytes.GetBuffer(), 0, (int)_bytes.Length);
            }
        }
    }
}
