using System.Runtime.InteropServices;
using System.Text.Json.Serialization;

namespace Strata.Oci;

/// <summary>
/// A platform (OCI image spec, image-index.md "platform"), normalised as containerd's platforms package:
/// <c>x86_64</c> is <c>amd64</c>, <c>aarch64</c> is <c>arm64</c>.
/// </summary>
public sealed record Platform
{
    [JsonPropertyName("architecture")]
    public required string Architecture { get; init; }

    [JsonPropertyName("os")]
    public required string Os { get; init; }

    [JsonPropertyName("os.version")]
    public string? OsVersion { get; init; }

    [JsonPropertyName("os.features")]
    public IReadOnlyList<string>? OsFeatures { get; init; }

    [JsonPropertyName("variant")]
    public string? Variant { get; init; }

    /// <summary>The platform this process runs on.</summary>
    public static Platform Host { get; } = new()
    {
        Os = "linux",
        Architecture = RuntimeInformation.OSArchitecture switch
        {
            System.Runtime.InteropServices.Architecture.X64 => "amd64",
            System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
            System.Runtime.InteropServices.Architecture.Arm => "arm",
            System.Runtime.InteropServices.Architecture.X86 => "386",
            System.Runtime.InteropServices.Architecture.S390x => "s390x",
            System.Runtime.InteropServices.Architecture.Ppc64le => "ppc64le",
            System.Runtime.InteropServices.Architecture.RiscV64 => "riscv64",
            _ => RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
        },
        Variant = RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "v8" : null,
    };

    /// <summary>Parses <c>os/arch[/variant]</c> as given to <c>--platform</c>.</summary>
    public static Platform Parse(string value)
    {
        var parts = value.Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(string.IsNullOrWhiteSpace))
        {
            throw StrataException.Invalid("PLATFORM_INVALID", $"invalid platform \"{value}\": expected os/arch[/variant]");
        }

        return Normalize(new Platform { Os = parts[0].ToLowerInvariant(), Architecture = parts[1].ToLowerInvariant(), Variant = parts.Length == 3 ? parts[2] : null });
    }

    public static Platform Normalize(Platform p)
    {
        var (arch, variant) = p.Architecture.ToLowerInvariant() switch
        {
            "x86_64" or "x86-64" => ("amd64", p.Variant),
            "aarch64" => ("arm64", p.Variant ?? "v8"),
            "arm64" => ("arm64", p.Variant ?? "v8"),
            "armhf" => ("arm", "v7"),
            "armel" => ("arm", "v6"),
            "i386" or "i686" => ("386", p.Variant),
            var a => (a, p.Variant),
        };
        return p with { Architecture = arch, Variant = variant, Os = p.Os.ToLowerInvariant() };
    }

    /// <summary>True when an image for <paramref name="candidate"/> runs on this platform.</summary>
    public bool Matches(Platform candidate)
    {
        var a = Normalize(this);
        var b = Normalize(candidate);
        if (a.Os != b.Os || a.Architecture != b.Architecture)
        {
            return false;
        }

        return a.Variant is null || b.Variant is null || a.Variant == b.Variant;
    }

    public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";
}
