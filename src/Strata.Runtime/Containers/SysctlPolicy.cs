using Strata.Oci;

namespace Strata.Runtime.Containers;

/// <summary>
/// Which <c>--sysctl</c>s a container may set: only namespaced ones, as docker's validator (moby
/// opts/hostconfig sysctl checks): IPC (<c>kernel.msg*</c>, <c>kernel.sem</c>, <c>kernel.shm*</c>, <c>fs.mqueue.*</c>)
/// and, unless it shares the host's network namespace, <c>net.*</c>.
/// </summary>
public static class SysctlPolicy
{
    private static readonly string[] IpcNames =
        ["kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced"];

    public static IReadOnlyDictionary<string, string> Check(IReadOnlyDictionary<string, string> sysctls, string network)
    {
        ArgumentNullException.ThrowIfNull(sysctls);
        foreach (var name in sysctls.Keys)
        {
            if (IpcNames.Contains(name, StringComparer.Ordinal) || name.StartsWith("fs.mqueue.", StringComparison.Ordinal))
            {
                continue;
            }

            if (name.StartsWith("net.", StringComparison.Ordinal))
            {
                if (network == "host")
                {
                    throw StrataException.Invalid("SYSCTL_NOT_ALLOWED", $"sysctl '{name}' is not allowed in host network namespace");
                }

                continue;
            }

            throw StrataException.Invalid("SYSCTL_NOT_ALLOWED", $"sysctl '{name}' is not allowed: only namespaced sysctls (kernel.msg*, kernel.sem, kernel.shm*, fs.mqueue.*, net.*) can be set");
        }

        return sysctls;
    }

    /// <summary><c>--sysctl NAME=VALUE</c>.</summary>
    public static KeyValuePair<string, string> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        return eq > 0
            ? new KeyValuePair<string, string>(text[..eq].Trim(), text[(eq + 1)..])
            : throw StrataException.Invalid("SYSCTL_INVALID", $"invalid argument \"{text}\" for \"--sysctl\" flag: sysctl '{text}' is not allowed");
    }
}
