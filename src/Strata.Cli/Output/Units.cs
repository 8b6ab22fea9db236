using System.Globalization;
using Strata.Oci;

namespace Strata.Cli.Output;

/// <summary>Parses docker-style durations (<c>90s</c>, <c>15m</c>, <c>1h30m</c>, <c>7d</c>) and sizes (<c>512m</c>, <c>10GB</c>, <c>1.5g</c>).</summary>
public static class Units
{
    public static TimeSpan ParseDuration(string value, string flag)
    {
        var s = value.Trim();
        var total = TimeSpan.Zero;
        var i = 0;
        if (s.Length == 0)
        {
            throw Bad();
        }

        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            if (start == i || !double.TryParse(s[start..i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n))
            {
                throw Bad();
            }

            var u = i;
            while (i < s.Length && char.IsAsciiLetter(s[i]))
            {
                i++;
            }

            total += s[u..i] switch
            {
                "ms" => TimeSpan.FromMilliseconds(n),
                "s" or "" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                "h" => TimeSpan.FromHours(n),
                "d" => TimeSpan.FromDays(n),
                _ => throw Bad(),
            };
        }

        return total;

        StrataException Bad() => StrataException.Invalid("DURATION_INVALID", $"invalid duration {value} for {flag}: use e.g. 30s, 15m, 1h, 7d");
    }

    public static long ParseSize(string value, string flag)
    {
        var s = value.Trim().ToLowerInvariant();
        if (s.EndsWith('b') && s.Length > 1 && !char.IsAsciiDigit(s[^2]))
        {
            s = s[..^1];
        }
        else if (s.EndsWith('b'))
        {
            s = s[..^1];
        }

        long mult = 1;
        if (s.Length > 0 && char.IsAsciiLetter(s[^1]))
        {
            mult = s[^1] switch
            {
                'k' => 1L << 10,
                'm' => 1L << 20,
                'g' => 1L << 30,
                't' => 1L << 40,
                _ => 0,
            };
            s = s[..^1];
        }

        if (mult == 0 || !double.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) || n < 0)
        {
            throw StrataException.Invalid("SIZE_INVALID", $"invalid size {value} for {flag}: use e.g. 512m, 10g");
        }

        return (long)(n * mult);
    }
}
