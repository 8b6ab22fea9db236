namespace Strata.Runtime.Containers;

/// <summary>The mutable part of a container: status, processes, exit.</summary>
public sealed record ContainerState
{
    public ContainerStatus Status { get; init; } = ContainerStatus.Created;

    /// <summary>Host PID of the container's init process while running.</summary>
    public int Pid { get; init; }

    /// <summary>PID of the process watching it (the monitor, or the CLI of an attached run).</summary>
    public int MonitorPid { get; init; }

    public int ExitCode { get; init; }

    public bool OomKilled { get; init; }

    public string Error { get; init; } = string.Empty;

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public int RestartCount { get; init; }

    /// <summary>Set by <c>stop</c>/<c>kill</c> so the restart policy does not bring it back.</summary>
    public bool StoppedByUser { get; init; }

    /// <summary>Address on the Strata bridge while running (empty: no bridge, or loopback only).</summary>
    public string IpAddress { get; init; } = string.Empty;

    /// <summary>Health check results while it has one (docker's <c>State.Health</c>); null without a health check.</summary>
    public Health.HealthState? Health { get; init; }

    /// <summary>Its interfaces and addresses on each network while running (eth0 first).</summary>
    public IReadOnlyList<Network.NetworkEndpoint> Endpoints { get; init; } = [];

    public bool IsActive => Status is ContainerStatus.Running or ContainerStatus.Paused or ContainerStatus.Restarting;
}
