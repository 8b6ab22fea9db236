using System.Globalization;
using System.Net;
using Strata.Oci;
using Strata.Runtime.Containers;

namespace Strata.Runtime.Network;

public sealed partial class NetworkManager
{
    private static readonly System.Text.RegularExpressions.Regex MacPattern = new("^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>
    /// The network part of <c>create</c>/<c>run</c>: checks the mode or network, <c>--ip</c>, aliases, <c>--add-host</c>,
    /// <c>--dns</c>, <c>--link</c> and <c>--mac-address</c> before anything is made, and puts them in the spec.
    /// </summary>
    public async Task<ContainerSpec> ApplyOptionsAsync(ContainerOptions options, ContainerSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(spec);
        var mode = options.Network is "default" or "" ? "bridge" : options.Network;
        foreach (var h in options.ExtraHosts)
        {
            ParseExtraHost(h);
        }

        foreach (var d in options.Dns)
        {
            if (!IPAddress.TryParse(d, out _))
            {
                throw StrataException.Invalid(NetworkErrors.OptionInvalid, $"invalid argument \"{d}\" for \"--dns\" flag: {d} is not an ip address");
            }
        }

        if (options.MacAddress is { } mac && !MacPattern.IsMatch(mac))
        {
            throw StrataException.Invalid(NetworkErrors.OptionInvalid, $"invalid argument \"{mac}\" for \"--mac-address\" flag: {mac} is not a valid mac address");
        }

        var links = new List<string>();
        foreach (var l in options.Links)
        {
            var parts = l.Split(':', 2);
            var target = await _containers.TryResolveAsync(parts[0], cancellationToken).ConfigureAwait(false)
                ?? throw StrataException.Invalid(NetworkErrors.LinkInvalid, $"could not get container for {parts[0]}");
            links.Add(target.Name + ":" + (parts.Length == 2 && parts[1].Length > 0 ? parts[1] : target.Name));
        }

        spec = spec with
        {
            ExtraHosts = options.ExtraHosts,
            Dns = options.Dns,
            DnsSearch = options.DnsSearch,
            DnsOptions = options.DnsOptions,
            Links = links,
        };
        if (mode is "host" or "none")
        {
            if (options.IpAddress is not null || options.NetworkAliases.Count > 0 || options.MacAddress is not null || links.Count > 0)
            {
                throw StrataException.Invalid(NetworkErrors.OptionNeedsUserNetwork, $"conflicting options: --ip, --network-alias, --mac-address and --link cannot be used with {mode} network mode");
            }

            return spec with { Network = mode, Networks = [] };
        }

        var network = await Store.TryResolveAsync(mode, cancellationToken).ConfigureAwait(false)
            ?? throw StrataException.NotFound(NetworkErrors.NotFound, $"network {mode} not found");
        var settings = await EndpointFor(network, options.NetworkAliases, options.IpAddress, null, cancellationToken).ConfigureAwait(false);
        return spec with { Network = network.Name, Networks = [settings with { MacAddress = options.MacAddress ?? string.Empty }] };
    }

    /// <summary>Checks aliases and a fixed address for a container joining <paramref name="network"/>.</summary>
    private async Task<EndpointSettings> EndpointFor(NetworkRecord network, IReadOnlyList<string> aliases, string? ip, string? containerId, CancellationToken cancellationToken)
    {
        if (network.IsDefault && aliases.Count > 0)
        {
            throw StrataException.Invalid(NetworkErrors.OptionNeedsUserNetwork, "network-scoped aliases are supported only for containers in user-defined networks");
        }

        if (ip is not null)
        {
            if (network.IsDefault)
            {
                throw StrataException.Invalid(NetworkErrors.OptionNeedsUserNetwork, "user specified IP address is supported on user defined networks only");
            }

            var address = Ipv4.ParseAddress(ip, "IP address");
            if (!Ipv4.Hosts(network.Network).Contains(address) || address.ToString() == network.Gateway)
            {
                throw StrataException.Invalid(NetworkErrors.AddressInvalid, $"invalid IP address {ip}: not a free host address of network {network.Name} ({network.Subnet}, gateway {network.Gateway})");
            }

            foreach (var (other, endpoint) in await ContainersOnAsync(network, cancellationToken).ConfigureAwait(false))
            {
                if (other.Id != containerId
                    && (EndpointSettingsOf(other.Spec).Any(e => e.NetworkId == network.Id && e.IpAddress == ip) || endpoint?.IpAddress == ip))
                {
                    throw new StrataException(ErrorKind.Conflict, NetworkErrors.AddressInUse, $"Address already in use: {ip} on network {network.Name} is taken by container {other.Name}");
                }
            }
        }

        return new EndpointSettings { NetworkId = network.Id, NetworkName = network.Name, Aliases = aliases, IpAddress = ip ?? string.Empty };
    }

    /// <summary>Splits <c>NAME:IP</c>; the address may be <c>host-gateway</c>.</summary>
    public static (string Name, string Address) ParseExtraHost(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var i = text.IndexOf(':', StringComparison.Ordinal);
        var (name, address) = i > 0 ? (text[..i], text[(i + 1)..]) : (text, string.Empty);
        if (name.Length == 0 || (address != "host-gateway" && !IPAddress.TryParse(address.Trim('[', ']'), out _)))
        {
            throw StrataException.Invalid(NetworkErrors.OptionInvalid, $"invalid argument \"{text}\" for \"--add-host\" flag: use NAME:IP or NAME:host-gateway");
        }

        return (name, address.Trim('[', ']'));
    }

    /// <summary>
    /// Start: the container's namespace and one endpoint per network it is on (eth0 first), recorded in its state;
    /// null for host/none. A fixed address someone else holds fails the start; the namespace is gone again then.
    /// </summary>
    public async Task<ContainerNetwork?> AttachAsync(ContainerRecord container, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(container);
        if (container.Spec.Network is "host" or "none")
        {
            return null;
        }

        var settings = EndpointSettingsOf(container.Spec);
        var endpoints = new List<NetworkEndpoint>();
        var warnings = new List<string>();
        var networks = new List<NetworkRecord>();
        var path = await Driver.CreateNamespaceAsync(container.Id, cancellationToken).ConfigureAwait(false);
        try
        {
            for (var i = 0; i < settings.Count; i++)
            {
                var network = await Store.TryResolveAsync(settings[i].NetworkId, cancellationToken).ConfigureAwait(false)
                    ?? throw StrataException.NotFound(NetworkErrors.NotFound, $"network {settings[i].NetworkName} not found");
                var first = !network.Internal && networks.All(n => n.Internal);
                var (endpoint, warning) = await Driver.ConnectAsync(container.Id, network, settings[i], "eth" + i.ToString(CultureInfo.InvariantCulture), first, cancellationToken).ConfigureAwait(false);
                endpoints.Add(endpoint);
                networks.Add(network);
                if (warning is not null)
                {
                    warnings.Add(warning);
                }
            }

            await _containers.UpdateStateAsync(container.Id, s => s with { Endpoints = endpoints, IpAddress = endpoints.Count > 0 ? endpoints[0].IpAddress : string.Empty }, cancellationToken).ConfigureAwait(false);
            TouchNames();
        }
        catch
        {
            await Driver.RemoveNamespaceAsync(container.Id, endpoints.Select(e => e.HostInterface), CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        return new ContainerNetwork(path, endpoints, warnings)
        {
            HasNameResolution = networks.Any(n => n.HasNameResolution),
            InternalOnly = networks.Count > 0 && networks.All(n => n.Internal),
        };
    }

    /// <summary>Stop/remove: the namespace, veths and addresses go; the state forgets the endpoints. Idempotent.</summary>
    public async Task DetachAsync(string containerId, CancellationToken cancellationToken = default)
    {
        var c = await _containers.TryResolveAsync(containerId, cancellationToken).ConfigureAwait(false);
        var veths = c is null ? [] : c.State.Endpoints.Select(e => e.HostInterface).Concat(EndpointSettingsOf(c.Spec).Select(s => BridgeDriver.HostInterfaceName(containerId, s.NetworkId))).Distinct().ToList();
        await Driver.RemoveNamespaceAsync(containerId, veths, cancellationToken).ConfigureAwait(false);
        if (c is not null && (c.State.Endpoints.Count > 0 || c.State.IpAddress.Length > 0))
        {
            await _containers.UpdateStateAsync(c.Id, s => s with { Endpoints = [], IpAddress = string.Empty }, cancellationToken).ConfigureAwait(false);
            TouchNames();
        }
    }

    /// <summary><c>network connect</c>: recorded in the spec; a running container gets the interface now.</summary>
    public async Task<NetworkResult> ConnectAsync(NetworkConnectRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var network = await GetAsync(request.Network, cancellationToken).ConfigureAwait(false);
        var c = await _containers.ResolveAsync(request.Container, cancellationToken).ConfigureAwait(false);
        if (c.Spec.Network is "host" or "none")
        {
            throw StrataException.Precondition(NetworkErrors.ModeConflict, $"container {c.Name} uses the {c.Spec.Network} network mode and cannot be connected to other networks");
        }

        if (EndpointSettingsOf(c.Spec).Any(e => e.NetworkId == network.Id))
        {
            throw new StrataException(ErrorKind.Conflict, NetworkErrors.EndpointConflict, $"endpoint with name {c.Name} already exists in network {network.Name}");
        }

        var settings = await EndpointFor(network, request.Aliases, request.IpAddress, c.Id, cancellationToken).ConfigureAwait(false);
        var before = c.Spec;
        c = await _containers.UpdateSpecAsync(c.Id, cur => cur.Spec with { Networks = [.. EndpointSettingsOf(cur.Spec), settings] }, cancellationToken).ConfigureAwait(false);
        var warnings = new List<string>();
        if (c.State.Status is ContainerStatus.Running or ContainerStatus.Paused && File.Exists(BridgeDriver.NamespacePath(c.Id)))
        {
            var used = c.State.Endpoints.Select(e => e.Interface).ToHashSet(StringComparer.Ordinal);
            var ifname = Enumerable.Range(0, 64).Select(i => "eth" + i.ToString(CultureInfo.InvariantCulture)).First(n => !used.Contains(n));
            try
            {
                var (endpoint, warning) = await Driver.ConnectAsync(c.Id, network, settings, ifname, null, cancellationToken).ConfigureAwait(false);
                if (warning is not null)
                {
                    warnings.Add(warning);
                }

                await _containers.UpdateStateAsync(c.Id, s => s with { Endpoints = [.. s.Endpoints, endpoint] }, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await _containers.UpdateSpecAsync(c.Id, _ => before, CancellationToken.None).ConfigureAwait(false);
                throw;
            }
        }

        TouchNames();
        return new NetworkResult(network, warnings);
    }

    /// <summary><c>network disconnect</c>: out of the spec; a running container loses the interface now.</summary>
    public async Task DisconnectAsync(string networkNameOrId, string container, CancellationToken cancellationToken = default)
    {
        var network = await GetAsync(networkNameOrId, cancellationToken).ConfigureAwait(false);
        var c = await _containers.ResolveAsync(container, cancellationToken).ConfigureAwait(false);
        if (!EndpointSettingsOf(c.Spec).Any(e => e.NetworkId == network.Id))
        {
            throw new StrataException(ErrorKind.Conflict, NetworkErrors.EndpointConflict, $"container {c.Name} is not connected to network {network.Name}");
        }

        c = await _containers.UpdateSpecAsync(c.Id, cur =>
        {
            var rest = EndpointSettingsOf(cur.Spec).Where(e => e.NetworkId != network.Id).ToList();
            return cur.Spec with { Networks = rest, Network = rest.Count == 0 ? "none" : rest[0].NetworkName };
        }, cancellationToken).ConfigureAwait(false);
        if (c.State.Endpoints.Any(e => e.NetworkId == network.Id))
        {
            await Driver.DisconnectAsync(c.Id, network, cancellationToken).ConfigureAwait(false);
            await _containers.UpdateStateAsync(c.Id, s => s with { Endpoints = [.. s.Endpoints.Where(e => e.NetworkId != network.Id)] }, cancellationToken).ConfigureAwait(false);
        }

        TouchNames();
    }
}
