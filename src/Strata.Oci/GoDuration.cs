using System.Globalization;
using System.Text;

namespace Strata.Oci;

/// <summary>
/// Go's time.ParseDuration and Duration.String: HEALTHCHECK flags and their history text, and (with
/// <c>flagUnits</c>) the CLI's duration flags, which also take days (<c>7d</c>) and bare seconds (<c>90</c>).
/// </summary>
public static class GoDuration
{
    public static TimeSpan Parse(string s, bool flagUnits = false)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (s is "0" or "")
        {
            return s.Length == 0 ? throw new FormatException("invalid duration \"\"") : TimeSpan.Zero;
        }

        var i = 0;
        var neg = false;
        if (s[0] is '-' or '+')
        {
            neg = s[0] == '-';
            i++;
        }

        double totalNs = 0;
        var any = false;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            if (start == i)
            {
                throw new FormatException($"invalid duration \"{s}\"");
            }

            var number = double.Parse(s[start..i], CultureInfo.InvariantCulture);
            var unitStart = i;
            while (i < s.Length && !char.IsAsciiDigit(s[i]) && s[i] != '.')
            {
                i++;
            }

            var unit = s[unitStart..i];
            double scale = unit switch
            {
                "ns" => 1,
                "us" or "µs" or "μs" => 1e3,
                "ms" => 1e6,
                "s" => 1e9,
                "m" => 60e9,
                "h" => 3600e9,
                "d" when flagUnits => 86400e9,
                "" when flagUnits => 1e9,
                "" => throw new FormatException($"missing unit in duration \"{s}\""),
                _ => throw new FormatException($"unknown unit \"{unit}\" in duration \"{s}\""),
            };
            totalNs += number * scale;
            any = true;
        }

        if (!any)
        {
            throw new FormatException($"invalid duration \"{s}\"");
        }

        var ticks = (long)Math.Round(totalNs / 100);
        return neg ? TimeSpan.FromTicks(-ticks) : TimeSpan.FromTicks(ticks);
    }

    /// <summary>Nanoseconds, as Docker stores durations in the image config.</summary>
    public static long ToNanoseconds(TimeSpan t) => t.Ticks * 100;

    /// <summary>Go's Duration.String (<c>5m0s</c>, <c>1.5s</c>, <c>0s</c>, <c>300ms</c>).</summary>
    public static string Format(long ns)
    {
        if (ns == 0)
        {
            return "0s";
        }

        var sb = new StringBuilder();
        if (ns < 0)
        {
            sb.Append('-');
            ns = -ns;
        }

        if (ns < 1_000_000_000)
        {
            // Sub-second: the largest unit that keeps a non-zero integer part.
            (double v, string u) = ns < 1_000 ? (ns, "ns") : ns < 1_000_000 ? (ns / 1e3, "µs") : (ns / 1e6, "ms");
            sb.Append(v.ToString("0.#########", CultureInfo.InvariantCulture)).Append(u);
            return sb.ToString();
        }

        var h = ns / 3_600_000_000_000;
        ns -= h * 3_600_000_000_000;
        var m = ns / 60_000_000_000;
        ns -= m * 60_000_000_000;
        var sec = ns / 1e9;
        if (h > 0)
        {
            sb.Append(h.ToString(CultureInfo.InvariantCulture)).Append('h');
        }

        if (h > 0 || m > 0)
        {
            sb.Append(m.ToString(CultureInfo.InvariantCulture)).Append('m');
        }

        sb.Append(sec.ToString("0.#########", CultureInfo.InvariantCulture)).Append('s');
        return sb.ToString();
    }
}
