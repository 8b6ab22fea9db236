using System.Globalization;
using System.Runtime.InteropServices;

namespace Strata.Runtime.Security;

/// <summary>What the host offers for confinement: seccomp, AppArmor, the architecture and kernel a profile is resolved for.</summary>
public static class HostSecurity
{
    /// <summary>The kernel has seccomp filters (a <c>Seccomp:</c> line in /proc/self/status).</summary>
    public static bool SeccompSupported { get; } = File.Exists("/proc/self/status") && File.ReadLines("/proc/self/status").Any(l => l.StartsWith("Seccomp:", StringComparison.Ordinal));

    public static bool AppArmorEnabled { get; } = ReadTrimmed("/sys/module/apparmor/parameters/enabled") == "Y";

    /// <summary>libseccomp's native name for this process's architecture (what a profile's <c>arches</c> lists).</summary>
    public static string NativeArch { get; } = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.X86 => "x86",
        Architecture.Arm64 => "arm64",
        Architecture.Arm => "arm",
        Architecture.S390x => "s390x",
        Architecture.RiscV64 => "riscv64",
        Architecture.LoongArch64 => "loong64",
        Architecture.Ppc64le => "ppc64le",
        var other => other.ToString().ToLowerInvariant(),
    };

    /// <summary>The running kernel as (version, major revision), e.g. (6, 18).</summary>
    public static (int Kernel, int Major) Kernel { get; } = ParseKernel(ReadTrimmed("/proc/sys/kernel/osrelease") ?? "0.0");

    internal static (int Kernel, int Major) ParseKernel(string release)
    {
        var parts = release.Split('.', 3);
        static int Num(string s) => int.TryParse(new string([.. s.TakeWhile(char.IsAsciiDigit)]), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        return (Num(parts[0]), parts.Length > 1 ? Num(parts[1]) : 0);
    }

    private static string? ReadTrimmed(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
