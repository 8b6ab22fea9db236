using Strata.Integration.Tests.Containers;
using Strata.Integration.Tests.Support;

namespace Strata.Integration.Tests.Networks;

/// <summary>
/// User-defined networks on real bridges, namespaces and nftables rules; the only traffic goes to containers and
/// to a test-made "internet" namespace on this machine. Each test removes what it made and checks nothing is left.
/// </summary>
[Trait("Category", "Integration")]
public sealed class NetworkTests
{
    [Fact]
    public async Task Create_list_inspect_and_remove_leave_nothing_behind()
    {
        using var host = await ContainerHost.CreateAsync();
        var id = (await host.OkAsync("network", "create", "--label", "team=a", "appnet")).Trim();
        Assert.Matches("^[0-9a-f]{64}$", id);
        var bridge = await NetworkHost.BridgeOfAsync(host, "appnet");
        Assert.True(NetworkHost.LinkExists(bridge));
        var subnet = (await host.OkAsync("network", "inspect", "-f", "{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}", "appnet")).Trim();
        Assert.Matches(@"^(172\.(1[89]|2\d|3[01])\.0\.0/16 172\.\d+\.0\.1|192\.168\.\d+\.0/20 192\.168\.\d+\.1)$", subnet);
        Assert.Contains("masquerade", await NetworkHost.RulesForAsync(subnet.Split(' ')[0]), StringComparison.Ordinal);
        var ls = await host.OkAsync("network", "ls", "--format", "{{.Name}} {{.Driver}}");
        Assert.Equal("appnet bridge\nbridge bridge\nhost host\nnone null\n", ls);
        Assert.Contains(id[..12], (await host.OkAsync("network", "ls", "-q")).Split('\n'));

        await host.OkAsync("run", "-d", "--name", "member", "--network", "appnet", "busybox", "sleep", "300");
        var cid = (await host.OkAsync("inspect", "-f", "{{.Id}}", "member")).Trim();
        var ip = (await host.OkAsync("inspect", "-f", "{{.NetworkSettings.Networks.appnet.IPAddress}}", "member")).Trim();
        Assert.Equal(subnet.Split(' ')[1][..^1] + "2", ip);
        Assert.Contains(ip + "/", await host.OkAsync("network", "inspect", "-f", "{{json .Containers}}", "appnet"), StringComparison.Ordinal);

        // In use: one line, nothing removed.
        var inUse = await host.RunAsync("network", "rm", "appnet");
        Assert.NotEqual(0, inUse.ExitCode);
        Assert.Equal("Error: error while removing network: network appnet id " + id[..12] + " is in use by container(s) member\n", inUse.Stderr);
        Assert.True(NetworkHost.LinkExists(bridge));

        await host.OkAsync("rm", "-f", "member");
        Assert.Equal(string.Empty, await NetworkHost.LeftoversOfAsync(cid));
        Assert.Equal("appnet\n", await host.OkAsync("network", "rm", "appnet"));
        Assert.False(NetworkHost.LinkExists(bridge));
        Assert.Equal(string.Empty, await NetworkHost.RulesForAsync(bridge));
        Assert.Equal(string.Empty, await NetworkHost.RulesForAsync(subnet.Split(' ')[0]));
    }

    [Fact]
    public async Task Bad_input_is_one_line_and_makes_nothing()
    {
        using var host = await ContainerHost.CreateAsync();
        await host.OkAsync("network", "create", "--subnet", "10.213.0.0/24", "fixed");

        // Overlapping subnet.
        var overlap = await host.RunAsync("network", "create", "--subnet", "10.213.0.128/25", "other");
        Assert.Equal(125, overlap.ExitCode);
        Assert.Equal("Error: invalid pool request: subnet 10.213.0.128/25 overlaps with network fixed (10.213.0.0/24)\n", overlap.Stderr);
        Assert.DoesNotContain("other", await host.OkAsync("network", "ls"), StringComparison.Ordinal);

        // Unknown network.
        var unknown = await host.RunAsync("run", "--rm", "--network", "nosuch", "busybox", "true");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Equal("Error: network nosuch not found\n", unknown.Stderr);
        Assert.Equal(string.Empty, await host.OkAsync("ps", "-aq"));

        // A second --ip already taken.
        await host.OkAsync("run", "-d", "--name", "first", "--network", "fixed", "--ip", "10.213.0.50", "busybox", "sleep", "300");
        var taken = await host.RunAsync("run", "-d", "--name", "second", "--network", "fixed", "--ip", "10.213.0.50", "busybox", "sleep", "300");
        Assert.NotEqual(0, taken.ExitCode);
        Assert.Equal("Error: Address already in use: 10.213.0.50 on network fixed is taken by container first\n", taken.Stderr);
        Assert.Equal("first\n", await host.OkAsync("ps", "-a", "--format", "{{.Names}}"));
        Assert.Equal("10.213.0.50\n", await host.OkAsync("inspect", "-f", "{{.NetworkSettings.Networks.fixed.IPAddress}}", "first"));

        // --ip outside the subnet, and on the default bridge.
        var outside = await host.RunAsync("create", "--network", "fixed", "--ip", "10.214.0.5", "busybox");
        Assert.Equal("Error: invalid IP address 10.214.0.5: not a free host address of network fixed (10.213.0.0/24, gateway 10.213.0.1)\n", outside.Stderr);
        var onBridge = await host.RunAsync("create", "--ip", "10.89.0.77", "busybox");
        Assert.Equal("Error: user specified IP address is supported on user defined networks only\n", onBridge.Stderr);
        Assert.Equal("first\n", await host.OkAsync("ps", "-a", "--format", "{{.Names}}"));

        // The predefined networks stay.
        Assert.Equal("Error: bridge is a pre-defined network and cannot be removed\n", (await host.RunAsync("network", "rm", "bridge")).Stderr);

        var bridge = await NetworkHost.BridgeOfAsync(host, "fixed");
        await host.OkAsync("rm", "-f", "first");
        await host.OkAsync("network", "rm", "fixed");
        Assert.False(NetworkHost.LinkExists(bridge));
        Assert.Equal(string.Empty, await NetworkHost.RulesForAsync(bridge));
    }

    [Fact]
    public async Task Names_and_aliases_resolve_on_the_same_network_only_and_follow_a_restart()
    {
        using var host = await ContainerHost.CreateAsync();
        await host.OkAsync("network", "create", "front");
        await host.OkAsync("network", "create", "back");
        try
        {
            await host.OkAsync("run", "-d", "--name", "web", "--network", "front", "--network-alias", "www", "busybox", "sh", "-c",
                "mkdir -p /srv && echo served-by-web > /srv/index.html && exec busybox httpd -f -p 80 -h /srv");
            foreach (var name in new[] { "web", "www" })
            {
                string? body = null;
                Assert.True(await ContainerHost.EventuallyAsync(async () =>
                {
                    var r = await host.RunAsync("run", "--rm", "--network", "front", "busybox", "wget", "-q", "-O", "-", $"http://{name}/index.html");
                    body = r.Stdout + r.Stderr;
                    return r.ExitCode == 0;
                }), body);
                Assert.Equal("served-by-web\n", body);
            }

            var nc = await host.RunAsync("run", "--rm", "--network", "front", "busybox", "sh", "-c", "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 www 80 | head -1");
            Assert.Contains("200 OK", nc.Stdout, StringComparison.Ordinal);

            // From another network the name does not resolve at all.
            var other = await host.RunAsync("run", "--rm", "--network", "back", "busybox", "wget", "-q", "-O", "-", "http://web/index.html");
            Assert.NotEqual(0, other.ExitCode);
            Assert.Contains("bad address 'web'", other.Stderr, StringComparison.Ordinal);

            // A restarted container found at its new address: "filler" takes web's old address while web is stopped.
            var before = (await host.OkAsync("inspect", "-f", "{{.NetworkSettings.Networks.front.IPAddress}}", "web")).Trim();
            await host.OkAsync("stop", "-t", "1", "web");
            await host.OkAsync("run", "-d", "--name", "filler", "--network", "front", "busybox", "sleep", "300");
            Assert.Equal(before + "\n", await host.OkAsync("inspect", "-f", "{{.NetworkSettings.Networks.front.IPAddress}}", "filler"));
            await host.OkAsync("start", "web");
            var after = (await host.OkAsync("inspect", "-f", "{{.NetworkSettings.Networks.front.IPAddress}}", "web")).Trim();
            Assert.NotEqual(before, after);
            var lookup = await host.OkAsync("run", "--rm", "--network", "front", "busybox", "nslookup", "web");
            Assert.Contains("Address: " + after, lookup, StringComparison.Ordinal);
            Assert.DoesNotContain("Address: " + before, lookup, StringComparison.Ordinal);

            // connect: a running container on "back" joins "front" and finds web by name.
            await host.OkAsync("run", "-d", "--name", "late", "--network", "back", "busybox", "sleep", "300");
            Assert.NotEqual(0, (await host.RunAsync("exec", "late", "nslookup", "web")).ExitCode);
            await host.OkAsync("network", "connect", "--alias", "latecomer", "front", "late");
            Assert.Contains("Address: " + after, await host.OkAsync("exec", "late", "nslookup", "web"), StringComparison.Ordinal);
            Assert.Contains("eth1", await host.OkAsync("exec", "late", "ip", "-o", "addr"), StringComparison.Ordinal);
            var lateFront = (await host.OkAsync("inspect", "-f", "{{.NetworkSettings.Networks.front.IPAddress}}", "late")).Trim();
            Assert.Contains("Address: " + lateFront, await host.OkAsync("exec", "web", "nslookup", "latecomer"), StringComparison.Ordinal);
            await host.OkAsync("network", "disconnect", "front", "late");
            Assert.DoesNotContain("eth1", await host.OkAsync("exec", "late", "ip", "-o", "addr"), StringComparison.Ordinal);
        }
        finally
        {
            await host.RunAsync("rm", "-f", "web", "filler", "late");
            await host.OkAsync("network", "rm", "front", "back");
        }
    }

    [Fact]
    public async Task Hosts_and_resolv_conf_carry_links_add_host_and_dns()
    {
        using var host = await ContainerHost.CreateAsync();
        await host.OkAsync("run", "-d", "--name", "db", "busybox", "sleep", "300");
        var dbIp = (await host.OkAsync("inspect", "-f", "{{.NetworkSettings.IPAddress}}", "db")).Trim();
        var files = await host.OkAsync("run", "--rm", "--link", "db:database", "--add-host", "registry.test:10.1.2.3", "--add-host", "gw:host-gateway",
            "--dns", "192.0.2.53", "--dns-search", "corp.test", "--dns-option", "ndots:2", "-h", "app", "busybox", "sh", "-c", "cat /etc/hosts; echo ---; cat /etc/resolv.conf");
        var (hosts, resolv) = (files.Split("---\n")[0], files.Split("---\n")[1]);
        Assert.Matches($@"(?m)^{dbIp.Replace(".", "\\.", StringComparison.Ordinal)}\tdatabase [0-9a-f]{{12}} db$", hosts);
        Assert.Contains("10.1.2.3\tregistry.test\n", hosts, StringComparison.Ordinal);
        Assert.Contains("10.89.0.1\tgw\n", hosts, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^10\.89\.0\.\d+\tapp$", hosts);
        Assert.Equal("nameserver 192.0.2.53\nsearch corp.test\noptions ndots:2\n", resolv);

        // On a user network the embedded DNS is the nameserver and --dns becomes its upstream.
        await host.OkAsync("network", "create", "dnsnet");
        var user = await host.OkAsync("run", "--rm", "--network", "dnsnet", "--dns", "192.0.2.53", "busybox", "cat", "/etc/resolv.conf");
        Assert.StartsWith("nameserver 127.0.0.11\noptions ndots:0\n", user, StringComparison.Ordinal);
        Assert.Contains("# ExtServers: [192.0.2.53]", user, StringComparison.Ordinal);

        var badHost = await host.RunAsync("run", "--rm", "--add-host", "nocolon", "busybox", "true");
        Assert.Equal("Error: invalid argument \"nocolon\" for \"--add-host\" flag: use NAME:IP or NAME:host-gateway\n", badHost.Stderr);
        await host.OkAsync("rm", "-f", "db");
        await host.OkAsync("network", "rm", "dnsnet");
    }

    [Fact]
    public async Task Masquerading_reaches_the_test_internet_and_internal_networks_cannot()
    {
        await using var inet = await InternetNamespace.CreateAsync();
        using var host = await ContainerHost.CreateAsync();
        await host.OkAsync("network", "create", "outbound");
        await host.OkAsync("network", "create", "--internal", "sealed");
        var outboundBridge = await NetworkHost.BridgeOfAsync(host, "outbound");
        var sealedBridge = await NetworkHost.BridgeOfAsync(host, "sealed");
        try
        {
            var url = $"http://{InternetNamespace.ServerAddress}:{InternetNamespace.Port}/cgi-bin/peer";
            var seen = await host.RunAsync("run", "--rm", "--network", "outbound", "busybox", "wget", "-q", "-O", "-", url);
            Assert.True(seen.ExitCode == 0, seen.Stderr);
            Assert.Equal(InternetNamespace.HostAddress + "\n", seen.Stdout); // the host's address: masqueraded
            var bridgeSeen = await host.RunAsync("run", "--rm", "busybox", "wget", "-q", "-O", "-", url);
            Assert.Equal(InternetNamespace.HostAddress + "\n", bridgeSeen.Stdout);

            var blocked = await host.RunAsync("run", "--rm", "--network", "sealed", "busybox", "wget", "-q", "-O", "-", url);
            Assert.NotEqual(0, blocked.ExitCode);
            Assert.Contains("drop", await NetworkHost.RulesForAsync(sealedBridge), StringComparison.Ordinal);
            Assert.Contains("on", await host.OkAsync("info", "-f", "{{.NetworkForwarding}}"), StringComparison.Ordinal);
        }
        finally
        {
            await host.OkAsync("network", "rm", "outbound", "sealed");
        }

        Assert.False(NetworkHost.LinkExists(outboundBridge));
        Assert.False(NetworkHost.LinkExists(sealedBridge));
        Assert.Equal(string.Empty, await NetworkHost.RulesForAsync(outboundBridge));
        Assert.Equal(string.Empty, await NetworkHost.RulesForAsync(sealedBridge));
    }
}
