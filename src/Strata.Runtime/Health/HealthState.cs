namespace Strata.Runtime.Health;

/// <summary>A container's health, as docker's <c>State.Health</c>: status, failing streak and the last results.</summary>
public sealed record HealthState
{
    public string Status { get; init; } = HealthStatus.Starting;

    public int FailingStreak { get; init; }

    public IReadOnlyList<HealthLogEntry> Log { get; init; } = [];

    /// <summary>
    /// moby's handleProbeResult: success makes it healthy and resets the streak; a failure within the start period
    /// of a container that never succeeded is not counted; <c>retries</c> counted failures make it unhealthy.
    /// </summary>
    public HealthState Apply(HealthLogEntry result, HealthSettings settings, DateTimeOffset containerStarted)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(settings);
        var log = Log.Append(result).TakeLast(HealthSettings.MaxLogEntries).ToList();
        if (result.ExitCode == 0)
        {
            return this with { Status = HealthStatus.Healthy, FailingStreak = 0, Log = log };
        }

        if (Status == HealthStatus.Starting && result.Start - containerStarted < settings.StartPeriod)
        {
            return this with { Log = log };
        }

        var streak = FailingStreak + 1;
        return this with { FailingStreak = streak, Status = streak >= settings.Retries ? HealthStatus.Unhealthy : Status, Log = log };
    }
}
