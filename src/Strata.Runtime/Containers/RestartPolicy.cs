using System.Globalization;
using Strata.Oci;

namespace Strata.Runtime.Containers;

/// <summary><c>--restart no|on-failure[:N]|always|unless-stopped</c>.</summary>
public sealed record RestartPolicy(string Name, int MaximumRetryCount)
{
    public static RestartPolicy No { get; } = new("no", 0);

    public static RestartPolicy Parse(string? text)
    {
        if (string.IsNullOrEmpty(text) || text == "no")
        {
            return No;
        }

        var parts = text.Split(':', 2);
        switch (parts[0])
        {
            case "always" or "unless-stopped" when parts.Length == 1:
                return new RestartPolicy(parts[0], 0);
            case "on-failure":
                var max = 0;
                if (parts.Length == 2 && (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out max) || max < 0))
                {
                    throw StrataException.Invalid("RESTART_POLICY", $"invalid restart policy \"{text}\": maximum retry count must be a non-negative number");
                }

                return new RestartPolicy("on-failure", max);
            default:
                throw StrataException.Invalid("RESTART_POLICY", $"invalid restart policy \"{text}\": use no, on-failure[:N], always or unless-stopped");
        }
    }

    /// <summary>Whether the monitor starts the container again after it exited with <paramref name="exitCode"/>.</summary>
    public bool ShouldRestart(int exitCode, int restartCount, bool stoppedByUser) => Name switch
    {
        _ when stoppedByUser => false,
        "always" or "unless-stopped" => true,
        "on-failure" => exitCode != 0 && (MaximumRetryCount == 0 || restartCount < MaximumRetryCount),
        _ => false,
    };

    public override string ToString() => Name == "on-failure" && MaximumRetryCount > 0 ? $"on-failure:{MaximumRetryCount}" : Name;
}
