using System.Globalization;
using Strata.Oci;

namespace Strata.Runtime.Containers;

/// <summary>Docker's CPU notation (<c>1.5</c>); sizes are <see cref="Units.ParseSize"/>.</summary>
public static class ResourceParser
{
    public static long ParseCpus(string text)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var cpus) || cpus <= 0 || cpus > Environment.ProcessorCount * 1.0)
        {
            throw StrataException.Invalid("CPUS_INVALID", $"invalid --cpus \"{text}\": range of CPUs is from 0.01 to {Environment.ProcessorCount}.00, as there are only {Environment.ProcessorCount} CPUs available");
        }

        return (long)(cpus * 1e9);
    }
}
