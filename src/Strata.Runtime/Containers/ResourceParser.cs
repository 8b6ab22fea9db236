using System.Globalization;
using Strata.Oci;

namespace Strata.Runtime.Containers;

/// <summary>Docker's size (<c>512m</c>, <c>1g</c>, <c>100k</c>, bytes) and CPU (<c>1.5</c>) notations.</summary>
public static class ResourceParser
{
    public static long ParseBytes(string text, string what)
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

    public static long ParseCpus(string text)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var cpus) || cpus <= 0 || cpus > Environment.ProcessorCount * 1.0)
        {
            throw StrataException.Invalid("CPUS_INVALID", $"invalid --cpus \"{text}\": range of CPUs is from 0.01 to {Environment.ProcessorCount}.00, as there are only {Environment.ProcessorCount} CPUs available");
        }

        return (long)(cpus * 1e9);
    }
}
