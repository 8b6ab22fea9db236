using System.Diagnostics;
using System.Globalization;

namespace Strata.Runtime.Containers;

/// <summary><c>STRATA_TIMING=1</c>: milliseconds since process start at the steps of create/start/remove, on stderr (for tuning run latency).</summary>
public static class Timing
{
    private static readonly bool Enabled = Environment.GetEnvironmentVariable("STRATA_TIMING") is { Length: > 0 };

    public static void Mark(string step)
    {
        if (Enabled)
        {
            var ms = (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds;
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"timing {ms,7:F1} ms  {step}"));
        }
    }
}
