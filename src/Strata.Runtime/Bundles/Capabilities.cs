using Strata.Oci;

namespace Strata.Runtime.Bundles;

/// <summary>Docker's default capability set and <c>--cap-add</c>/<c>--cap-drop</c> (names with or without CAP_, or ALL).</summary>
public static class Capabilities
{
    public static IReadOnlyList<string> Default { get; } =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
    ];

    /// <summary>Every capability this kernel knows (CAP_LAST_CAP from /proc), for ALL and --privileged.</summary>
    public static IReadOnlyList<string> All { get; } = AllKnown();

    public static IReadOnlyList<string> Compute(IEnumerable<string> add, IEnumerable<string> drop, bool privileged)
    {
        if (privileged)
        {
            return All;
        }

        var set = new List<string>(Default);
        var adds = add.Select(Normalize).ToList();
        var drops = drop.Select(Normalize).ToList();
        if (drops.Contains("CAP_ALL"))
        {
            set.Clear();
        }

        foreach (var d in drops.Where(d => d != "CAP_ALL"))
        {
            set.Remove(d);
        }

        if (adds.Contains("CAP_ALL"))
        {
            set = [.. All.Where(c => !drops.Contains(c))];
        }

        foreach (var a in adds.Where(a => a != "CAP_ALL" && !set.Contains(a)))
        {
            set.Add(a);
        }

        return set;
    }

    private static string Normalize(string name)
    {
        var n = name.Trim().ToUpperInvariant();
        n = n.StartsWith("CAP_", StringComparison.Ordinal) ? n : "CAP_" + n;
        if (n != "CAP_ALL" && !All.Contains(n))
        {
            throw StrataException.Invalid("CAPABILITY_UNKNOWN", $"unknown capability: \"{name}\"");
        }

        return n;
    }

    private static string[] AllKnown()
    {
        string[] names =
        [
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID",
            "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN",
            "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
            "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
            "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
            "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",
            "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
        ];
        var last = names.Length - 1;
        try
        {
            if (int.TryParse(File.ReadAllText("/proc/sys/kernel/cap_last_cap").Trim(), System.Globalization.CultureInfo.InvariantCulture, out var l))
            {
                last = Math.Min(l, last);
            }
        }
        catch (IOException)
        {
        }

        // Root here may lack some (CAP_SYS_RESOURCE on this kind of host): never ask the runtime for more than we hold.
        var bounding = BoundingSet();
        return [.. names[..(last + 1)].Where((_, bit) => (bounding >> bit & 1) == 1)];
    }

    private static ulong BoundingSet()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("CapBnd:", StringComparison.Ordinal)
                    && ulong.TryParse(line["CapBnd:".Length..].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var mask))
                {
                    return mask;
                }
            }
        }
        catch (IOException)
        {
        }

        return ulong.MaxValue;
    }
}
