using System.Net;
using System.Text;
using Strata.Runtime.Containers;

namespace Strata.Runtime.Network;

/// <summary>
/// A container's /etc/hosts and /etc/resolv.conf, as docker writes them: localhost lines, <c>--link</c> entries,
/// <c>--add-host</c> entries, then its own address and hostname; resolv.conf names the embedded DNS
/// (127.0.0.11) on user-defined networks, else <c>--dns</c> or the host's non-loopback servers.
/// </summary>
public static class ContainerNameFiles
{
    public static string Hosts(ContainerRecord container, ContainerNetwork? network, IEnumerable<(string Address, string Names)> links, string? hostHosts)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(links);
        var spec = container.Spec;
        var sb = new StringBuilder();
        sb.Append(spec.Network == "host" && hostHosts is not null
            ? hostHosts.EndsWith('\n') ? hostHosts : hostHosts + "\n"
            : "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n");
        foreach (var (address, names) in links)
        {
            sb.Append(address).Append('\t').Append(names).Append('\n');
        }

        foreach (var h in spec.ExtraHosts)
        {
            var (name, address) = NetworkManager.ParseExtraHost(h);
            sb.Append(address == "host-gateway" ? HostGateway(network) : address).Append('\t').Append(name).Append('\n');
        }

        if (spec.Network != "host")
        {
            sb.Append(network?.Endpoints.FirstOrDefault()?.IpAddress ?? "127.0.1.1").Append('\t').Append(spec.Hostname).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary><c>host-gateway</c>: the host's address on the container's first network (docker: the default bridge's gateway).</summary>
    public static string HostGateway(ContainerNetwork? network) =>
        network?.Endpoints.FirstOrDefault()?.Gateway ?? NetworkRecord.DefaultBridge.Gateway;

    public static string ResolvConf(ContainerSpec spec, ContainerNetwork? network, string hostResolv)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var (servers, search, options) = Parse(hostResolv);
        if (spec.DnsSearch.Count > 0)
        {
            search = spec.DnsSearch;
        }

        if (spec.DnsOptions.Count > 0)
        {
            options = spec.DnsOptions;
        }

        var sb = new StringBuilder();
        if (network?.HasNameResolution == true)
        {
            sb.Append("nameserver ").Append(DnsResponder.Address).Append('\n');
            AppendSearchAndOptions(sb, search, ["ndots:0", .. options.Where(o => !o.StartsWith("ndots:", StringComparison.Ordinal))]);
            sb.Append("\n# Based on host file: '/etc/resolv.conf' (internal resolver)\n# ExtServers: [")
                .AppendJoin(' ', Upstreams(spec, hostResolv)).Append("]\n");
            return sb.ToString();
        }

        if (spec.Network == "none" && spec.Dns.Count == 0)
        {
            return string.Empty;
        }

        // Loopback servers of the host are not reachable from the container's own namespace.
        IEnumerable<string> list = spec.Dns.Count > 0 ? spec.Dns
            : spec.Network == "host" ? servers
            : servers.Where(s => !IPAddress.TryParse(s, out var a) || !IPAddress.IsLoopback(a));
        foreach (var s in list)
        {
            sb.Append("nameserver ").Append(s).Append('\n');
        }

        AppendSearchAndOptions(sb, search, options);
        return sb.ToString();
    }

    /// <summary>Where the embedded DNS forwards what it does not know: <c>--dns</c>, else the host's servers.</summary>
    public static IReadOnlyList<string> Upstreams(ContainerSpec spec, string hostResolv)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Dns.Count > 0 ? spec.Dns : Parse(hostResolv).Servers;
    }

    private static void AppendSearchAndOptions(StringBuilder sb, IReadOnlyList<string> search, IReadOnlyList<string> options)
    {
        if (search.Count > 0)
        {
            sb.Append("search ").AppendJoin(' ', search).Append('\n');
        }

        if (options.Count > 0)
        {
            sb.Append("options ").AppendJoin(' ', options).Append('\n');
        }
    }

    private static (IReadOnlyList<string> Servers, IReadOnlyList<string> Search, IReadOnlyList<string> Options) Parse(string resolv)
    {
        var servers = new List<string>();
        IReadOnlyList<string> search = [];
        var options = new List<string>();
        foreach (var line in (resolv ?? string.Empty).Split('\n'))
        {
            var f = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 2 || f[0].StartsWith('#'))
            {
                continue;
            }

            switch (f[0])
            {
                case "nameserver":
                    servers.Add(f[1]);
                    break;
                case "search" or "domain":
                    search = f[1..];
                    break;
                case "options":
                    options.AddRange(f[1..]);
                    break;
            }
        }

        return (servers, search, options);
    }
}
