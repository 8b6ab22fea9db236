using System.Net.Http;
using Strata.Integration.Tests.Support;

namespace Strata.Integration.Tests.Containers;

/// <summary>cgroup limits through the runtime and the network modes; traffic only to 127.0.0.1 and namespaces strata made.</summary>
[Trait("Category", "Integration")]
public sealed class LimitsAndNetworkTests
{
    [Fact]
    public async Task Memory_limit_ends_a_hog_with_137_and_oomkilled()
    {
        using var host = await ContainerHost.CreateAsync();
        var r = await host.RunAsync("run", "--name", "hog", "-m", "32m", "busybox", "sh", "-c",
            "cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max; x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo survived");
        Assert.Equal(137, r.ExitCode);
        Assert.StartsWith("33554432", r.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("survived", r.Stdout, StringComparison.Ordinal);
        Assert.Equal("true 137 33554432\n", await host.OkAsync("inspect", "-f", "{{.State.OOMKilled}} {{.State.ExitCode}} {{.HostConfig.Memory}}", "hog"));
    }

    [Fact]
    public async Task Pids_limit_and_cpus_are_applied()
    {
        using var host = await ContainerHost.CreateAsync();
        var r = await host.RunAsync("run", "--rm", "--pids-limit", "8", "busybox", "sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10 11 12; do sleep 2 & done; wait");
        Assert.Contains("can't fork", r.Stderr, StringComparison.Ordinal);
        var cpu = await host.OkAsync("run", "--rm", "--cpus", "0.5", "busybox", "cat", "/sys/fs/cgroup/cpu/cpu.cfs_quota_us");
        Assert.Equal("50000\n", cpu);
        var bad = await host.RunAsync("run", "--rm", "--memory", "lots", "busybox", "true");
        Assert.Equal(125, bad.ExitCode);
    }

    [Fact]
    public async Task Network_none_and_bridge_have_only_loopback_and_host_shares_the_hosts()
    {
        using var host = await ContainerHost.CreateAsync();
        var none = await host.OkAsync("run", "--rm", "--network", "none", "busybox", "cat", "/proc/net/dev");
        Assert.Contains("lo:", none, StringComparison.Ordinal);
        Assert.Equal(3, none.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var bridge = await host.OkAsync("run", "--rm", "busybox", "sh", "-c", "busybox ip -o addr show lo");
        Assert.Contains("127.0.0.1", bridge, StringComparison.Ordinal);
        var hostNet = await host.OkAsync("run", "--rm", "--network", "host", "busybox", "cat", "/proc/net/dev");
        Assert.Equal(File.ReadAllLines("/proc/net/dev").Length, hostNet.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("127.0.1.1\t", await host.OkAsync("run", "--rm", "-h", "named-host", "busybox", "cat", "/etc/hosts"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Published_port_reaches_a_server_inside_the_container_on_127_0_0_1()
    {
        using var host = await ContainerHost.CreateAsync();
        var port = Fixtures.FreePort();
        await host.OkAsync("run", "-d", "--name", "web", "-p", $"{port}:8080", "busybox", "sh", "-c",
            "mkdir -p /www && echo hello-from-container > /www/index.html && exec busybox httpd -f -p 8080 -h /www");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        string? body = null;
        Assert.True(await ContainerHost.EventuallyAsync(async () =>
        {
            try
            {
                body = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/index.html"));
                return true;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }));
        Assert.Equal("hello-from-container\n", body);
        Assert.Contains($"127.0.0.1:{port}->8080/tcp", await host.OkAsync("ps"), StringComparison.Ordinal);
        var clash = await host.RunAsync("run", "--rm", "-p", $"{port}:8080", "busybox", "true");
        Assert.Equal(125, clash.ExitCode);
        Assert.Contains($"cannot publish 127.0.0.1:{port}->8080/tcp", clash.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_only_rootfs_user_and_capabilities()
    {
        using var host = await ContainerHost.CreateAsync();
        var ro = await host.RunAsync("run", "--rm", "--read-only", "busybox", "sh", "-c", "touch /x");
        Assert.NotEqual(0, ro.ExitCode);
        Assert.Equal("65534 65534\n", await host.OkAsync("run", "--rm", "-u", "nobody", "busybox", "sh", "-c", "echo $(id -u) $(id -g)"));
        Assert.Equal("1000:1000\n", await host.OkAsync("run", "--rm", "-u", "1000:1000", "busybox", "sh", "-c", "echo $(id -u):$(id -g)"));
        var noUser = await host.RunAsync("run", "--rm", "-u", "ghost", "busybox", "true");
        Assert.Equal(125, noUser.ExitCode);
        Assert.Contains("unable to find user ghost", noUser.Stderr, StringComparison.Ordinal);
        var chown = await host.RunAsync("run", "--rm", "--cap-drop", "CHOWN", "busybox", "chown", "1:1", "/tmp");
        Assert.NotEqual(0, chown.ExitCode);
        Assert.Equal(0, (await host.RunAsync("run", "--rm", "busybox", "chown", "1:1", "/tmp")).ExitCode);
    }
}
