using Strata.Oci;

namespace Strata.Cli.Output;

/// <summary>Times the way docker prints them (go-units HumanDuration); sizes are <see cref="Units.FormatSize"/>.</summary>
public static class Humanize
{
    /// <summary><c>2 hours ago</c>, <c>About a minute ago</c>, ...</summary>
    public static string Ago(DateTimeOffset when, DateTimeOffset? now = null) => Duration((now ?? DateTimeOffset.UtcNow) - when) + " ago";

    public static string Duration(TimeSpan d)
    {
        var s = d.TotalSeconds;
        return s switch
        {
            < 1 => "Less than a second",
            < 2 => "1 second",
            < 60 => $"{(int)s} seconds",
            < 120 => "About a minute",
            < 3600 => $"{(int)(s / 60)} minutes",
            < 7200 => "About an hour",
            < 48 * 3600 => $"{(int)(s / 3600)} hours",
            < 7 * 24 * 3600 * 2 => $"{(int)(s / 86400)} days",
            < 30 * 24 * 3600 * 2 => $"{(int)(s / (7 * 86400))} weeks",
            < 365 * 24 * 3600 * 2 => $"{(int)(s / (30 * 86400))} months",
            _ => $"{(int)(s / (365 * 86400))} years",
        };
    }
}
