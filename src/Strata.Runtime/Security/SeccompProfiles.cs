using System.Text.Json;
using Strata.Oci;

namespace Strata.Runtime.Security;

/// <summary>
/// Docker's default seccomp profile (moby's default.json, embedded; see default-seccomp.NOTICE.md) and custom
/// profiles in the same format, resolved into the OCI runtime spec's <c>linux.seccomp</c> for one container the
/// way moby's <c>setupSeccomp</c> does: the host architecture's entry of the arch map, and each rule kept only
/// when its <c>includes</c> hold and its <c>excludes</c> do not (capabilities are the container's bounding set).
/// </summary>
public static class SeccompProfiles
{
    public const string InvalidCode = "SECCOMP_PROFILE_INVALID";

    private const string ResourceName = "Strata.Runtime.Security.default-seccomp.json";

    private static readonly HashSet<string> Actions = new(StringComparer.Ordinal)
    {
        "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE",
        "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY",
    };

    private static readonly HashSet<string> Operators = new(StringComparer.Ordinal)
    {
        "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ",
    };

    /// <summary>libseccomp native name -> the runtime spec's architecture constant.</summary>
    private static readonly Dictionary<string, string> SpecArch = new(StringComparer.Ordinal)
    {
        ["x86"] = "SCMP_ARCH_X86", ["amd64"] = "SCMP_ARCH_X86_64", ["arm"] = "SCMP_ARCH_ARM", ["arm64"] = "SCMP_ARCH_AARCH64",
        ["loong64"] = "SCMP_ARCH_LOONGARCH64", ["mips64"] = "SCMP_ARCH_MIPS64", ["mips64n32"] = "SCMP_ARCH_MIPS64N32",
        ["mipsel64"] = "SCMP_ARCH_MIPSEL64", ["mipsel64n32"] = "SCMP_ARCH_MIPSEL64N32", ["mipsel"] = "SCMP_ARCH_MIPSEL",
        ["ppc"] = "SCMP_ARCH_PPC", ["ppc64"] = "SCMP_ARCH_PPC64", ["ppc64le"] = "SCMP_ARCH_PPC64LE", ["riscv64"] = "SCMP_ARCH_RISCV64",
        ["s390"] = "SCMP_ARCH_S390", ["s390x"] = "SCMP_ARCH_S390X",
    };

    private static readonly Lazy<SeccompProfile> DefaultProfile = new(LoadDefault);

    /// <summary>Docker's default profile.</summary>
    public static SeccompProfile Default => DefaultProfile.Value;

    /// <summary>Parses and checks a profile in Docker's format; <paramref name="source"/> names it in errors.</summary>
    public static SeccompProfile Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        SeccompProfile? profile;
        try
        {
            profile = JsonSerializer.Deserialize(json, SecurityJsonContext.Default.SeccompProfile);
        }
        catch (JsonException e)
        {
            throw StrataException.Invalid(InvalidCode, $"seccomp profile {source} is not valid JSON ({e.Message}); give a Docker seccomp profile file or seccomp=unconfined", e);
        }

        if (profile is null)
        {
            throw StrataException.Invalid(InvalidCode, $"seccomp profile {source} is empty (null); give a Docker seccomp profile file or seccomp=unconfined");
        }

        Check(profile, source);
        return profile;
    }

    /// <summary>The runtime spec's seccomp section for a container holding <paramref name="capabilities"/>; null when the profile disables seccomp.</summary>
    public static OciSeccomp? ToOci(SeccompProfile profile, IReadOnlyCollection<string> capabilities, string? nativeArch = null, (int Kernel, int Major)? kernel = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(capabilities);
        if (string.IsNullOrEmpty(profile.DefaultAction) && (profile.Syscalls?.Count ?? 0) == 0)
        {
            return null; // docker: no default action and no rules means no filter
        }

        var arch = nativeArch ?? HostSecurity.NativeArch;
        var host = kernel ?? HostSecurity.Kernel;
        var architectures = profile.Architectures?.ToList() ?? [];
        if (SpecArch.TryGetValue(arch, out var specArch))
        {
            foreach (var a in profile.ArchMap ?? [])
            {
                if (a.Architecture == specArch)
                {
                    architectures.Add(a.Architecture);
                    architectures.AddRange(a.SubArchitectures ?? []);
                    break;
                }
            }
        }

        var syscalls = new List<OciSyscall>();
        foreach (var rule in profile.Syscalls ?? [])
        {
            if (Applies(rule, capabilities, arch, host))
            {
                syscalls.Add(new OciSyscall
                {
                    Names = rule.Names is { Count: > 0 } names ? names : [rule.Name!],
                    Action = rule.Action,
                    ErrnoRet = rule.ErrnoRet,
                    Args = rule.Args is { Count: > 0 } args ? args : null,
                });
            }
        }

        return new OciSeccomp
        {
            DefaultAction = profile.DefaultAction ?? "SCMP_ACT_ALLOW",
            DefaultErrnoRet = profile.DefaultErrnoRet,
            Architectures = architectures.Count > 0 ? architectures : null,
            Flags = profile.Flags is { Count: > 0 } flags ? flags : null,
            ListenerPath = profile.ListenerPath,
            ListenerMetadata = profile.ListenerMetadata,
            Syscalls = syscalls,
        };
    }

    /// <summary>Writes <c>"seccomp": {...}</c> into a runtime spec being written.</summary>
    public static void Write(Utf8JsonWriter writer, OciSeccomp seccomp)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WritePropertyName("seccomp");
        JsonSerializer.Serialize(writer, seccomp, SecurityJsonContext.Default.OciSeccomp);
    }

    private static bool Applies(SeccompRule rule, IReadOnlyCollection<string> caps, string arch, (int Kernel, int Major) kernel)
    {
        if (rule.Excludes is { } ex
            && ((ex.Arches?.Contains(arch) ?? false) || (ex.Caps?.Any(caps.Contains) ?? false) || (ex.MinKernel is { } exMin && AtLeast(kernel, ParseMinKernel(exMin, "excludes"))))
        )
        {
            return false;
        }

        return rule.Includes is not { } inc
            || ((inc.Arches is not { Count: > 0 } arches || arches.Contains(arch))
                && (inc.Caps is not { Count: > 0 } needed || needed.All(caps.Contains))
                && (inc.MinKernel is not { } min || AtLeast(kernel, ParseMinKernel(min, "includes"))));
    }

    private static bool AtLeast((int Kernel, int Major) host, (int Kernel, int Major) min) =>
        host.Kernel > min.Kernel || (host.Kernel == min.Kernel && host.Major >= min.Major);

    private static (int Kernel, int Major) ParseMinKernel(string value, string where)
    {
        var parts = value.Split('.');
        if (parts.Length != 2 || !int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var k)
            || !int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var m) || (k == 0 && m == 0))
        {
            throw StrataException.Invalid(InvalidCode, $"seccomp profile: invalid {where}.minKernel \"{value}\", expected \"<kernel>.<major>\" such as \"4.8\"");
        }

        return (k, m);
    }

    private static void Check(SeccompProfile p, string source)
    {
        if (p.Architectures is { Count: > 0 } && p.ArchMap is { Count: > 0 })
        {
            throw StrataException.Invalid(InvalidCode, $"seccomp profile {source} has both 'architectures' and 'archMap'; keep one");
        }

        if (p.DefaultAction is { Length: > 0 } d && !Actions.Contains(d))
        {
            throw StrataException.Invalid(InvalidCode, $"seccomp profile {source}: unknown defaultAction \"{d}\" (use one of {string.Join(", ", Actions.Order(StringComparer.Ordinal))})");
        }

        var i = 0;
        foreach (var rule in p.Syscalls ?? [])
        {
            var where = $"seccomp profile {source}: syscalls[{i++}]";
            if (rule.Name is { Length: > 0 } && rule.Names is { Count: > 0 })
            {
                throw StrataException.Invalid(InvalidCode, $"{where} has both 'name' and 'names'; use 'names'");
            }

            if ((rule.Names is not { Count: > 0 } && string.IsNullOrEmpty(rule.Name)) || (rule.Names?.Any(string.IsNullOrWhiteSpace) ?? false))
            {
                throw StrataException.Invalid(InvalidCode, $"{where} names no syscall; give \"names\": [\"...\"]");
            }

            if (!Actions.Contains(rule.Action))
            {
                throw StrataException.Invalid(InvalidCode, $"{where}: unknown action \"{rule.Action}\" (use one of {string.Join(", ", Actions.Order(StringComparer.Ordinal))})");
            }

            foreach (var arg in rule.Args ?? [])
            {
                if (!Operators.Contains(arg.Op))
                {
                    throw StrataException.Invalid(InvalidCode, $"{where}: unknown argument op \"{arg.Op}\" (use one of {string.Join(", ", Operators.Order(StringComparer.Ordinal))})");
                }

                if (arg.Index > 5)
                {
                    throw StrataException.Invalid(InvalidCode, $"{where}: argument index {arg.Index} is out of range 0-5");
                }
            }

            foreach (var filter in new[] { rule.Includes, rule.Excludes })
            {
                if (filter?.MinKernel is { } min)
                {
                    ParseMinKernel(min, rule.Includes == filter ? "includes" : "excludes");
                }
            }
        }
    }

    private static SeccompProfile LoadDefault()
    {
        using var stream = typeof(SeccompProfiles).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing from the build");
        return JsonSerializer.Deserialize(stream, SecurityJsonContext.Default.SeccompProfile)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is empty");
    }
}
