using System.Text.Json;
using Strata.Runtime.Bundles;
using Strata.Runtime.Containers;

namespace Strata.Runtime.Tests.Bundles;

public sealed class BundleWriterTests : IDisposable
{
    private readonly string _rootfs = Directory.CreateTempSubdirectory("strata-bundle-").FullName;

    public BundleWriterTests()
    {
        Directory.CreateDirectory(Path.Combine(_rootfs, "bin"));
        Directory.CreateDirectory(Path.Combine(_rootfs, "etc"));
        File.WriteAllText(Path.Combine(_rootfs, "bin", "sh"), string.Empty);
        File.WriteAllText(Path.Combine(_rootfs, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n");
        File.WriteAllText(Path.Combine(_rootfs, "etc", "group"), "root:x:0:\nstaff:x:50:\n");
    }

    public void Dispose() => Directory.Delete(_rootfs, recursive: true);

    private static ContainerRecord Container(ContainerSpec spec) => new() { Id = new string('a', 64), Name = "t", Created = DateTimeOffset.UnixEpoch, Spec = spec };

    private static ContainerSpec Spec() => new() { Image = "busybox", ImageId = "sha256:" + new string('b', 64), Runtime = "crun", Cmd = ["sh"], Hostname = "h1" };

    [Fact]
    public void Spec_has_the_process_namespaces_mounts_and_limits()
    {
        var spec = Spec() with
        {
            User = "app:staff",
            Env = ["A=1"],
            Resources = new ResourceLimits { MemoryBytes = 64 << 20, PidsLimit = 50, NanoCpus = 1_500_000_000 },
            CapDrop = ["NET_RAW"],
            CapAdd = ["SYS_PTRACE"],
            Network = "none",
        };
        var process = ProcessResolver.Resolve(spec, _rootfs, terminal: false);
        Assert.Equal((1000, 50), (process.Uid, process.Gid));
        Assert.Contains("HOME=/home/app", process.Env);
        Assert.Contains("HOSTNAME=h1", process.Env);
        Assert.StartsWith("PATH=", process.Env[0], StringComparison.Ordinal);
        var json = BundleWriter.Write(new BundleRequest
        {
            Container = Container(spec),
            Rootfs = _rootfs,
            HostsFile = "/h",
            ResolvConfFile = "/r",
            HostnameFile = "/n",
            CgroupsPath = "/strata/x",
            UserMounts = [new BundleMount("/data", "bind", "/vol", ["rbind", "ro"])],
        }, process);
        var root = JsonDocument.Parse(json).RootElement;
        Assert.Equal("h1", root.GetProperty("hostname").GetString());
        var ns = root.GetProperty("linux").GetProperty("namespaces").EnumerateArray().Select(n => n.GetProperty("type").GetString()).ToList();
        Assert.Equal(["pid", "ipc", "uts", "mount", "cgroup", "network"], ns);
        var res = root.GetProperty("linux").GetProperty("resources");
        Assert.Equal(64 << 20, res.GetProperty("memory").GetProperty("limit").GetInt64());
        Assert.Equal(50, res.GetProperty("pids").GetProperty("limit").GetInt64());
        Assert.Equal(150_000, res.GetProperty("cpu").GetProperty("quota").GetInt64());
        var caps = root.GetProperty("process").GetProperty("capabilities").GetProperty("bounding").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.DoesNotContain("CAP_NET_RAW", caps);
        Assert.Contains("CAP_SYS_PTRACE", caps);
        Assert.Contains("CAP_CHOWN", caps);
        var mounts = root.GetProperty("mounts").EnumerateArray().Select(m => m.GetProperty("destination").GetString()).ToList();
        Assert.Equal(["/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/sys/fs/cgroup", "/etc/hosts", "/etc/resolv.conf", "/etc/hostname", "/data"], mounts);
        Assert.True(root.GetProperty("linux").TryGetProperty("maskedPaths", out _));
    }

    [Fact]
    public void Host_network_and_privileged_drop_the_netns_and_masks()
    {
        var spec = Spec() with { Network = "host", Privileged = true };
        var json = BundleWriter.Write(new BundleRequest { Container = Container(spec), Rootfs = _rootfs, HostsFile = "/h", ResolvConfFile = "/r", HostnameFile = "/n", CgroupsPath = "/s" },
            ProcessResolver.Resolve(spec, _rootfs, terminal: true));
        var root = JsonDocument.Parse(json).RootElement;
        Assert.DoesNotContain(root.GetProperty("linux").GetProperty("namespaces").EnumerateArray(), n => n.GetProperty("type").GetString() == "network");
        Assert.False(root.GetProperty("linux").TryGetProperty("maskedPaths", out _));
        Assert.True(root.GetProperty("process").GetProperty("terminal").GetBoolean());
        var caps = root.GetProperty("process").GetProperty("capabilities").GetProperty("bounding").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Equal(Capabilities.All, caps.Select(c => c!).ToList());
        Assert.Contains("CAP_SYS_ADMIN", caps);
    }

    [Fact]
    public void Missing_program_is_exit_127_before_the_runtime_starts()
    {
        var e = Assert.Throws<Strata.Oci.StrataException>(() => ProcessResolver.Resolve(Spec() with { Cmd = ["nope"] }, _rootfs, false));
        Assert.Equal(127, e.ExitCode);
        Assert.Equal("exec: \"nope\": executable file not found in $PATH", e.Message);
        Assert.Throws<Strata.Oci.StrataException>(() => ProcessResolver.Resolve(Spec() with { Cmd = [] }, _rootfs, false));
        Assert.Throws<Strata.Oci.StrataException>(() => ProcessResolver.Resolve(Spec() with { User = "ghost" }, _rootfs, false));
    }
}
