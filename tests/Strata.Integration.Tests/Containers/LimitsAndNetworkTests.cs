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
    public async Task Network_none_has_only_loopback_bridge_adds_eth0_and_host_shares_the_hosts()
    {
        using var host = await ContainerHost.CreateAsync();
        var none = await host.OkAsync("run", "--rm", "--network", "none", "busybox", "cat", "/proc/net/dev");
        Assert.Contains("lo:", none, StringComparison.Ordinal);
        Assert.Equal(3, none.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var bridge = await host.OkAsync("run", "--rm", "busybox", "sh", "-c", "busybox ip -o addr show");
        Assert.Contains("127.0.0.1", bridge, StringComparison.Ordinal);
        Assert.Contains("eth0", bridge, StringComparison.Ordinal);
        var hostNet = await host.OkAsync("run", "--rm", "--network", "host", "busybox", "cat", "/proc/net/dev");
        // The host's own interfaces (the strata0 bridge the run above made, and whatever the machine has) are visible.
        Assert.Contains("strata0:", hostNet, StringComparison.Ordinal);
        Assert.DoesNotContain("strata0:", bridge, StringComparison.Ordinal);
        Assert.Contains("127.0.1.1\tnamed-host\n", await host.OkAsync("run", "--rm", "--network", "none", "-h", "named-host", "busybox", "cat", "/etc/hosts"), StringComparison.Ordinal);
        Assert.Matches(@"(?m)^10\.89\.0\.\d+\tnamed-host$", await host.OkAsync("run", "--rm", "-h", "named-host", "busybox", "cat", "/etc/hosts"));
    }

    [Fact]
    public async Task Bridge_containers_get_addresses_and_reach_each_other_and_the_namespace_goes_with_them()
    {
        using var host = await ContainerHost.CreateAsync();
        await host.OkAsync("run", "-d", "--name", "server", "busybox", "sh", "-c",
            "mkdir -p /www && echo on-the-bridge > /www/index.html && exec busybox httpd -f -p 80 -h /www");
        var ip = (await host.OkAsync("inspect", "-f", "{{.NetworkSettings.IPAddress}}", "server")).Trim();
        Assert.Matches(@"^10\.89\.0\.\d+$", ip);
        var id = (await host.OkAsync("inspect", "-f", "{{.Id}}", "server")).Trim();
        Assert.True(File.Exists("/run/netns/strata-" + id[..12]));
        Assert.Contains(ip + "\t", await host.OkAsync("exec", "server", "cat", "/etc/hosts"), StringComparison.Ordinal);
        string? body = null;
        Assert.True(await ContainerHost.EventuallyAsync(async () =>
        {
            var r = await host.RunAsync("run", "--rm", "busybox", "busybox", "wget", "-q", "-O", "-", $"http://{ip}/index.html");
            body = r.Stdout;
            return r.ExitCode == 0;
        }));
        Assert.Equal("on-the-bridge\n", body);
        var other = (await host.OkAsync("run", "--rm", "busybox", "sh", "-c", "busybox ip -o -4 addr show eth0")).Trim();
        Assert.Contains("10.89.0.", other, StringComparison.Ordinal);
        Assert.DoesNotContain(ip + "/", other, StringComparison.Ordinal);
        await host.OkAsync("rm", "-f", "server");
        Assert.False(File.Exists("/run/netns/strata-" + id[..12]));
        Assert.False(Directory.Exists("/sys/class/net/vs" + id[..12]));
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
