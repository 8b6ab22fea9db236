using Strata.Oci;

namespace Strata.Runtime.Health;

/// <summary>A health check with docker's defaults filled in (moby daemon/health.go).</summary>
public sealed record HealthSettings
{
    public const int MaxLogEntries = 5;

    public const int MaxOutputLength = 4096;

    /// <summary>The command: <c>CMD-SHELL</c> runs through <c>/bin/sh -c</c>, <c>CMD</c> directly.</summary>
    public required IReadOnlyList<string> Command { get; init; }

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan StartPeriod { get; init; }

    /// <summary>Interval between probes during the start period (docker 25's <c>--health-start-interval</c>).</summary>
    public TimeSpan StartInterval { get; init; } = TimeSpan.FromSeconds(30);

    public int Retries { get; init; } = 3;

    /// <summary>The settings a container's health check runs with; null when it has none or it is disabled (<c>NONE</c>).</summary>
    public static HealthSettings? From(HealthConfig? config)
    {
        var test = config?.Test;
        if (config is null || test is null || test.Count == 0 || test[0] == "NONE")
        {
            return null;
        }

        IReadOnlyList<string> command = test[0] switch
        {
            "CMD" => [.. test.Skip(1)],
            "CMD-SHELL" => ["/bin/sh", "-c", string.Join(' ', test.Skip(1))],
            _ => test,
        };
        if (command.Count == 0)
        {
            return null;
        }

        var interval = Duration(config.Interval, TimeSpan.FromSeconds(30));
        return new HealthSettings
        {
            Command = command,
            Interval = interval,
            Timeout = Duration(config.Timeout, TimeSpan.FromSeconds(30)),
            StartPeriod = Duration(config.StartPeriod, TimeSpan.Zero),
            StartInterval = Duration(config.StartInterval, interval),
            Retries = config.Retries is > 0 ? config.Retries.Value : 3,
        };
    }

    private static TimeSpan Duration(long? nanoseconds, TimeSpan fallback) =>
        nanoseconds is > 0 ? TimeSpan.FromTicks(nanoseconds.Value / 100) : fallback;
}
