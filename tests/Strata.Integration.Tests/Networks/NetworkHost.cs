using Strata.Integration.Tests.Containers;
using Strata.Integration.Tests.Support;

namespace Strata.Integration.Tests.Networks;

/// <summary>What the network tests check on the host: bridges, veths, namespaces and Strata's nft/iptables rules.</summary>
public static class NetworkHost
{
    public static bool LinkExists(string name) => Directory.Exists("/sys/class/net/" + name);

    public static async Task<string> BridgeOfAsync(ContainerHost host, string network) =>
        (await host.OkAsync("network", "inspect", "-f", "{{index .Options \"com.docker.network.bridge.name\"}}", network)).Trim();

    /// <summary>Every nftables table and iptables rule that names <paramref name="bridge"/>.</summary>
    public static async Task<string> RulesForAsync(string bridge)
    {
        var nft = await Proc.RunAsync("nft", ["list", "ruleset"]);
        var ipt = await Proc.RunAsync("iptables-save", []);
        return string.Join('\n', (nft.Stdout + "\n" + ipt.Stdout).Split('\n').Where(l => l.Contains(bridge, StringComparison.Ordinal)));
    }

    /// <summary>Host interfaces and namespaces left from a container (its veths start with v + the first 8 characters of its ID).</summary>
    public static async Task<string> LeftoversOfAsync(string containerId)
    {
        var links = (await Proc.RunAsync("ip", ["-o", "link"])).Stdout.Split('\n').Where(l => l.Contains(": v" + containerId[..8], StringComparison.Ordinal));
        var ns = File.Exists("/run/netns/strata-" + containerId[..12]) ? ["netns strata-" + containerId[..12]] : Array.Empty<string>();
        return string.Join('\n', links.Concat(ns));
    }
}
