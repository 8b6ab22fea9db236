using System.Globalization;

namespace Strata.Cli.Output;

/// <summary>Sizes and times the way docker prints them (go-units HumanSize, HumanDuration).</summary>
public static class Humanize
{
    private static readonly string[] Units = ["B", "kB", "MB", "GB", "TB", "PB"];

    /// <summary>Decimal units with 3 significant digits (go-units %.3g): <c>4.26MB</c>, <c>1.2kB</c>, <c>123MB</c>, <c>0B</c>.</summary>
    public static string Size(long bytes)
    {
        double v = bytes;
        var i = 0;
        while (v >= 1000 && i < Units.Length - 1)
        {
            v /= 1000;
            i++;
        }

        return v.ToString("G3", CultureInfo.InvariantCulture) + Units[i];
    }

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
