using System.Globalization;

namespace Strata.Oci;

/// <summary>
/// Docker's size and duration notations, in one place: sizes as flags take them (<c>512m</c>, <c>1g</c>,
/// <c>100k</c>, bytes) and print them (go-units HumanSize), durations as duration flags take them.
/// </summary>
public static class Units
{
    private static readonly string[] SizeUnits = ["B", "kB", "MB", "GB", "TB", "PB"];

    /// <summary>A size with an optional binary unit b, k, m, g or t (and an optional trailing b: <c>10GB</c>).</summary>
    public static long ParseSize(string text, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        var t = text.Trim().ToLowerInvariant();
        if (t.EndsWith('b') && t.Length > 1 && !char.IsDigit(t[^2]))
        {
            t = t[..^1];
        }

        long mult = 1;
        if (t.Length > 0 && char.IsLetter(t[^1]))
        {
            mult = t[^1] switch
            {
                'k' => 1L << 10,
                'm' => 1L << 20,
                'g' => 1L << 30,
                't' => 1L << 40,
                'b' => 1,
                _ => 0,
            };
            t = t[..^1];
        }

        if (mult == 0 || !double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
        {
            throw StrataException.Invalid("SIZE_INVALID", $"invalid {what}: \"{text}\" (use a number with an optional unit b, k, m or g)");
        }

        return (long)(value * mult);
    }

    /// <summary>Decimal units with 3 significant digits (go-units %.3g): <c>4.26MB</c>, <c>1.2kB</c>, <c>123MB</c>, <c>0B</c>.</summary>
    public static string FormatSize(long bytes)
    {
        double v = bytes;
        var i = 0;
        while (v >= 1000 && i < SizeUnits.Length - 1)
        {
            v /= 1000;
            i++;
        }

        return v.ToString("G3", CultureInfo.InvariantCulture) + SizeUnits[i];
    }

    /// <summary>A duration flag: Go's grammar plus days and bare seconds (<c>90s</c>, <c>15m</c>, <c>1h30m</c>, <c>7d</c>, <c>90</c>); never negative.</summary>
    public static TimeSpan ParseDuration(string value, string flag)
    {
        ArgumentNullException.ThrowIfNull(value);
        try
        {
            var d = GoDuration.Parse(value.Trim(), flagUnits: true);
            if (d >= TimeSpan.Zero)
            {
                return d;
            }
        }
        catch (FormatException)
        {
        }

        throw StrataException.Invalid("DURATION_INVALID", $"invalid duration {value} for {flag}: use e.g. 30s, 15m, 1h, 7d");
    }
}
