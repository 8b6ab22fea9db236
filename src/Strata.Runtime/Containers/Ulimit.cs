using System.Globalization;
using Strata.Oci;

namespace Strata.Runtime.Containers;

/// <summary>A process resource limit (<c>--ulimit nofile=1024:2048</c>), written to the bundle's <c>process.rlimits</c>.</summary>
public sealed record Ulimit
{
    /// <summary>Docker's names (go-units ulimit.go) and the RLIMIT each one sets.</summary>
    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        ["as"] = "RLIMIT_AS", ["core"] = "RLIMIT_CORE", ["cpu"] = "RLIMIT_CPU", ["data"] = "RLIMIT_DATA",
        ["fsize"] = "RLIMIT_FSIZE", ["locks"] = "RLIMIT_LOCKS", ["memlock"] = "RLIMIT_MEMLOCK", ["msgqueue"] = "RLIMIT_MSGQUEUE",
        ["nice"] = "RLIMIT_NICE", ["nofile"] = "RLIMIT_NOFILE", ["nproc"] = "RLIMIT_NPROC", ["rss"] = "RLIMIT_RSS",
        ["rtprio"] = "RLIMIT_RTPRIO", ["rttime"] = "RLIMIT_RTTIME", ["sigpending"] = "RLIMIT_SIGPENDING", ["stack"] = "RLIMIT_STACK",
    };

    public required string Name { get; init; }

    public long Soft { get; init; }

    public long Hard { get; init; }

    /// <summary>The OCI spec's type (<c>RLIMIT_NOFILE</c>).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string RlimitType => Names[Name];

    /// <summary><c>NAME=SOFT[:HARD]</c>, as docker's <c>--ulimit</c>; -1 is unlimited.</summary>
    public static Ulimit Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            throw StrataException.Invalid("ULIMIT_INVALID", $"invalid ulimit argument: {text}");
        }

        var limits = text[(eq + 1)..].Split(':');
        if (limits.Length > 2)
        {
            throw StrataException.Invalid("ULIMIT_INVALID", $"too many limit value arguments - {text[(eq + 1)..]}, can only have up to two, `soft[:hard]`");
        }

        var soft = Number(limits[0], text);
        return Create(text[..eq], soft, limits.Length == 2 ? Number(limits[1], text) : soft);
    }

    /// <summary>A limit from its parts (compose's <c>ulimits:</c> map), checked as docker checks them.</summary>
    public static Ulimit Create(string name, long soft, long hard)
    {
        if (!Names.ContainsKey(name))
        {
            throw StrataException.Invalid("ULIMIT_INVALID", $"invalid ulimit type: {name}");
        }

        // -1 (unlimited) is the largest value.
        if (hard != -1 && (soft == -1 || soft > hard))
        {
            throw StrataException.Invalid("ULIMIT_INVALID", $"ulimit soft limit must be less than or equal to hard limit: {soft} > {hard}");
        }

        return new Ulimit { Name = name, Soft = soft, Hard = hard };
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name}={Soft}:{Hard}");

    private static long Number(string s, string text) =>
        long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= -1
            ? n
            : throw StrataException.Invalid("ULIMIT_INVALID", $"invalid ulimit argument: {text}");
}
