namespace Strata.Runtime.Health;

/// <summary>One probe's result, as docker's <c>State.Health.Log[]</c>.</summary>
public sealed record HealthLogEntry
{
    public DateTimeOffset Start { get; init; }

    public DateTimeOffset End { get; init; }

    /// <summary>0 healthy, 1 unhealthy, -1 when the probe could not run or timed out (docker's convention).</summary>
    public int ExitCode { get; init; }

    /// <summary>Combined stdout and stderr, at most <see cref="HealthSettings.MaxOutputLength"/> bytes.</summary>
    public string Output { get; init; } = string.Empty;
}
