using System.Text.Json;
using Strata.Runtime.Containers;
using Strata.Runtime.Security;

namespace Strata.Runtime.Bundles;

/// <summary>
/// Writes the OCI runtime spec (config.json) of a container: the process from the image config and flags,
/// Docker's default mounts, masked and read-only paths, capabilities, namespaces and cgroup limits.
/// Docker's default seccomp profile applies unless <c>--privileged</c> or <c>seccomp=unconfined</c>.
/// Differences from Docker: no AppArmor profile of its own (a named one is passed on where the host has AppArmor),
/// no SELinux labels, no default rlimits (the host's hard limits are inherited, since root may not raise them here).
/// </summary>
public static class BundleWriter
{
    private static readonly string[] MaskedPaths =
    [
        "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
    ];

    private static readonly string[] ReadonlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

    public static byte[] Write(BundleRequest request, ProcessSpec process)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(process);
        var spec = request.Container.Spec;
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("ociVersion", "1.0.2");
            var caps = Capabilities.Compute(spec.CapAdd, spec.CapDrop, spec.Privileged);
            WriteProcess(w, process, spec, caps);
            w.WriteStartObject("root");
            w.WriteString("path", request.Rootfs);
            w.WriteBoolean("readonly", spec.ReadOnlyRootfs);
            w.WriteEndObject();
            w.WriteString("hostname", spec.Hostname);
            if (!string.IsNullOrEmpty(spec.Domainname))
            {
                w.WriteString("domainname", spec.Domainname);
            }

            WriteMounts(w, request);
            WriteLinux(w, request, caps);
            w.WriteEndObject();
        }

        return ms.ToArray();
    }

    private static void WriteProcess(Utf8JsonWriter w, ProcessSpec p, ContainerSpec spec, IReadOnlyList<string> caps)
    {
        w.WriteStartObject("process");
        w.WriteBoolean("terminal", p.Terminal);
        w.WriteStartObject("user");
        w.WriteNumber("uid", p.Uid);
        w.WriteNumber("gid", p.Gid);
        if (p.AdditionalGids.Count > 0)
        {
            w.WriteStartArray("additionalGids");
            foreach (var g in p.AdditionalGids)
            {
                w.WriteNumberValue(g);
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
        SpecJson.Array(w, "args", p.Args);
        SpecJson.Array(w, "env", p.Env);
        w.WriteString("cwd", p.Cwd);
        w.WriteStartObject("capabilities");
        foreach (var set in new[] { "bounding", "effective", "permitted" })
        {
            SpecJson.Array(w, set, caps);
        }

        w.WriteEndObject();
        w.WriteBoolean("noNewPrivileges", spec.Security.NoNewPrivileges);
        if (spec.Security.AppArmor is { } profile && profile != SecuritySettings.Unconfined && HostSecurity.AppArmorEnabled)
        {
            w.WriteString("apparmorProfile", profile);
        }

        if (spec.Ulimits.Count > 0)
        {
            w.WriteStartArray("rlimits");
            foreach (var u in spec.Ulimits)
            {
                w.WriteStartObject();
                w.WriteString("type", u.RlimitType);

                // -1 (unlimited) is RLIM_INFINITY, all bits set.
                w.WriteNumber("hard", u.Hard == -1 ? ulong.MaxValue : (ulong)u.Hard);
                w.WriteNumber("soft", u.Soft == -1 ? ulong.MaxValue : (ulong)u.Soft);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    private static void WriteMounts(Utf8JsonWriter w, BundleRequest r)
    {
        var spec = r.Container.Spec;
        var user = r.UserMounts.Select(m => m.Destination).ToHashSet(StringComparer.Ordinal);
        w.WriteStartArray("mounts");
        SpecJson.Mount(w, "/proc", "proc", "proc", ["nosuid", "noexec", "nodev"]);
        SpecJson.Mount(w, "/dev", "tmpfs", "tmpfs", ["nosuid", "strictatime", "mode=755", "size=65536k"]);
        SpecJson.Mount(w, "/dev/pts", "devpts", "devpts", ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]);
        if (!user.Contains("/dev/shm"))
        {
            var shm = spec.ShmSize > 0 ? "size=" + spec.ShmSize.ToString(System.Globalization.CultureInfo.InvariantCulture) : "size=65536k";
            SpecJson.Mount(w, "/dev/shm", "tmpfs", "shm", ["nosuid", "noexec", "nodev", "mode=1777", shm]);
        }

        SpecJson.Mount(w, "/dev/mqueue", "mqueue", "mqueue", ["nosuid", "noexec", "nodev"]);
        SpecJson.Mount(w, "/sys", "sysfs", "sysfs", spec.Privileged ? ["nosuid", "noexec", "nodev"] : ["nosuid", "noexec", "nodev", "ro"]);
        SpecJson.Mount(w, "/sys/fs/cgroup", "cgroup", "cgroup", ["nosuid", "noexec", "nodev", "relatime", spec.Privileged ? "rw" : "ro"]);
        foreach (var (dest, file) in new[] { ("/etc/hosts", r.HostsFile), ("/etc/resolv.conf", r.ResolvConfFile), ("/etc/hostname", r.HostnameFile) })
        {
            if (!user.Contains(dest))
            {
                SpecJson.Mount(w, dest, "bind", file, spec.ReadOnlyRootfs ? ["rbind", "rprivate", "ro"] : ["rbind", "rprivate"]);
            }
        }

        foreach (var m in r.UserMounts)
        {
            SpecJson.Mount(w, m.Destination, m.Type, m.Source, m.Options);
        }

        w.WriteEndArray();
    }

    private static void WriteLinux(Utf8JsonWriter w, BundleRequest r, IReadOnlyList<string> caps)
    {
        var spec = r.Container.Spec;
        w.WriteStartObject("linux");
        w.WriteString("cgroupsPath", r.CgroupsPath);
        w.WriteStartArray("namespaces");
        foreach (var ns in new[] { "pid", "ipc", "uts", "mount", "cgroup" })
        {
            w.WriteStartObject();
            w.WriteString("type", ns);
            w.WriteEndObject();
        }

        if (spec.Network != "host")
        {
            w.WriteStartObject();
            w.WriteString("type", "network");
            if (r.NetworkNamespacePath is { } path)
            {
                w.WriteString("path", path);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        WriteResources(w, spec.Resources);
        if (spec.Sysctls.Count > 0)
        {
            w.WriteStartObject("sysctl");
            foreach (var (k, v) in spec.Sysctls.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                w.WriteString(k, v);
            }

            w.WriteEndObject();
        }

        if (Seccomp(spec, caps) is { } seccomp)
        {
            SeccompProfiles.Write(w, seccomp);
        }

        if (!spec.Privileged && !spec.Security.UnmaskSystemPaths)
        {
            SpecJson.Array(w, "maskedPaths", MaskedPaths);
            SpecJson.Array(w, "readonlyPaths", ReadonlyPaths);
        }

        w.WriteEndObject();
    }

    /// <summary>The seccomp filter a container gets: none when privileged (as docker) or unconfined, else its profile or Docker's default.</summary>
    public static OciSeccomp? Seccomp(ContainerSpec spec, IReadOnlyList<string> caps)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Privileged || spec.Security.Seccomp == SecuritySettings.Unconfined || !HostSecurity.SeccompSupported)
        {
            return null;
        }

        var profile = spec.Security.Seccomp is { } json ? SeccompProfiles.Parse(json, "of container " + spec.Hostname) : SeccompProfiles.Default;
        return SeccompProfiles.ToOci(profile, [.. caps]);
    }

    private static void WriteResources(Utf8JsonWriter w, ResourceLimits res)
    {
        w.WriteStartObject("resources");
        // Docker's device cgroup: deny all, then the runtime adds its default devices (null, zero, tty, ...).
        w.WriteStartArray("devices");
        w.WriteStartObject();
        w.WriteBoolean("allow", false);
        w.WriteString("access", "rwm");
        w.WriteEndObject();
        w.WriteEndArray();
        if (res.MemoryBytes > 0)
        {
            w.WriteStartObject("memory");
            w.WriteNumber("limit", res.MemoryBytes);
            var swap = res.MemorySwapBytes switch
            {
                0 => res.MemoryBytes * 2,
                < 0 => -1,
                _ => res.MemorySwapBytes,
            };
            if (SwapAccounting())
            {
                w.WriteNumber("swap", swap);
            }

            w.WriteEndObject();
        }

        if (res.NanoCpus > 0 || res.CpuShares > 0)
        {
            w.WriteStartObject("cpu");
            if (res.CpuShares > 0)
            {
                w.WriteNumber("shares", res.CpuShares);
            }

            if (res.NanoCpus > 0)
            {
                const long period = 100_000;
                w.WriteNumber("period", period);
                w.WriteNumber("quota", res.NanoCpus * period / 1_000_000_000);
            }

            w.WriteEndObject();
        }

        if (res.PidsLimit > 0)
        {
            w.WriteStartObject("pids");
            w.WriteNumber("limit", res.PidsLimit);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    /// <summary>cgroup v1 hosts booted without swap accounting have no memory.memsw files; the runtime fails if asked.</summary>
    private static bool SwapAccounting() =>
        File.Exists("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes") || File.Exists("/sys/fs/cgroup/memory.swap.max");
}
