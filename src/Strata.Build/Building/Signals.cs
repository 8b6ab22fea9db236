using System.Globalization;

namespace Strata.Build.Building;

/// <summary>Signal names and numbers STOPSIGNAL accepts (Linux, as docker's signal.ParseSignal).</summary>
public static class Signals
{
    private static readonly HashSet<string> Names =
    [
        "ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE", "HUP", "ILL", "INT", "IO", "IOT", "KILL", "PIPE", "POLL", "PROF", "PWR",
        "QUIT", "SEGV", "STKFLT", "STOP", "SYS", "TERM", "TRAP", "TSTP", "TTIN", "TTOU", "UNUSED", "URG", "USR1", "USR2", "VTALRM",
        "WINCH", "XCPU", "XFSZ",
    ];

    public static bool IsValid(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return n is > 0 and <= 64;
        }

        var name = s.StartsWith("SIG", StringComparison.OrdinalIgnoreCase) ? s[3..] : s;
        name = name.ToUpperInvariant();
        if (name.StartsWith("RTMIN", StringComparison.Ordinal) || name.StartsWith("RTMAX", StringComparison.Ordinal))
        {
            return true;
        }

        return Names.Contains(name);
    }
}
