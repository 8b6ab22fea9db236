using System.Diagnostics;
using System.Globalization;
using Strata.Oci;

namespace Strata.Cli.Output;

/// <summary>
/// Renders the engine's events on stderr: notices as <c>notice: ...</c> lines; steps only with
/// <c>STRATA_TIMING=1</c>, as milliseconds since process start (for tuning run latency).
/// </summary>
public sealed class ConsoleEvents : IEngineEvents
{
    public static readonly ConsoleEvents Instance = new(Environment.GetEnvironmentVariable("STRATA_TIMING") is { Length: > 0 });

    private readonly bool _timing;

    private ConsoleEvents(bool timing) => _timing = timing;

    public void Notice(string message) => Console.Error.WriteLine("notice: " + message);

    public void Step(string step)
    {
        if (_timing)
        {
            var ms = (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds;
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"timing {ms,7:F1} ms  {step}"));
        }
    }
}
