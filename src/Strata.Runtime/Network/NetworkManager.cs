using System.Net;
using System.Security.Cryptography;
using Strata.Oci;
using Strata.Runtime.Containers;
using Strata.Storage.Metadata;

namespace Strata.Runtime.Network;

/// <summary>
/// Networks for the engine and its front ends: create/list/inspect/remove/prune, connect/disconnect, and what a
/// container's start and stop need (its namespace and endpoints, the names its DNS answers). Partial files by
/// concern: this one (networks), <c>.Containers</c> (endpoints of containers), <c>.Names</c> (DNS table).
/// </summary>
public sealed partial class NetworkManager
{
    private readonly ContainerStore _containers;
    private readonly string _stateDir;

    public NetworkManager(MetadataDb db, ContainerStore containers, string root, IReadOnlyList<AddressPool>? pools = null, BridgeDriver? driver = null)
    {
        Store = new NetworkStore(db);
        _containers = containers;
        _stateDir = Path.Combine(root, "networks");
        Pools = pools ?? AddressPool.Parse(Environment.GetEnvironmentVariable("STRATA_NETWORK_POOLS"));
        Driver = driver ?? new BridgeDriver();
    }

    public NetworkStore Store { get; }

    public BridgeDriver Driver { get; }

    public IReadOnlyList<AddressPool> Pools { get; }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")]
    private static partial System.Text.RegularExpressions.Regex NamePattern();

    /// <summary>Names that are network modes, not networks one can create.</summary>
    public static bool IsPredefinedName(string name) => name is "bridge" or "host" or "none" or "default";

    /// <summary>
    /// <c>network create</c>: picks (or checks) the subnet against every other network and every subnet the host
    /// routes, under the host-wide lock, makes the bridge and its rules, then records it; a failure undoes the bridge.
    /// </summary>
    public async Task<NetworkResult> CreateAsync(NetworkCreateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Driver != "bridge")
        {
            throw StrataException.Invalid(NetworkErrors.DriverUnsupported, $"plugin \"{request.Driver}\" not found: only the bridge driver is available");
        }

        if (!NamePattern().IsMatch(request.Name))
        {
            throw StrataException.Invalid(NetworkErrors.NameInvalid, $"invalid network name \"{request.Name}\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }

        if (IsPredefinedName(request.Name) || await Store.TryResolveAsync(request.Name, cancellationToken).ConfigureAwait(false) is { } existing && existing.Name == request.Name)
        {
            throw StrataException.AlreadyExists(NetworkErrors.NameConflict, $"network with name {request.Name} already exists");
        }

        IPNetwork? wanted = request.Subnet is { } s ? Ipv4.ParseSubnet(s) : null;
        if (request.Gateway is not null && wanted is null)
        {
            throw StrataException.Invalid(NetworkErrors.AddressInvalid, "--gateway needs --subnet");
        }

        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var warnings = new List<string>();
        await using (await Driver.LockAsync(cancellationToken).ConfigureAwait(false))
        {
            var host = await BridgeDriver.HostSubnetsAsync(cancellationToken).ConfigureAwait(false);
            var stored = await Store.ListAsync(cancellationToken).ConfigureAwait(false);
            var taken = host.Concat(stored.Select(n => n.Network)).ToList();
            IPNetwork subnet;
            if (wanted is { } w)
            {
                if (stored.FirstOrDefault(n => Ipv4.Overlaps(n.Network, w)) is { } other)
                {
                    throw new StrataException(ErrorKind.Conflict, NetworkErrors.SubnetOverlap, $"invalid pool request: subnet {w} overlaps with network {other.Name} ({other.Subnet})");
                }

                if (host.FirstOrDefault(n => Ipv4.Overlaps(n, w)) is { } route && route.PrefixLength > 0)
                {
                    throw new StrataException(ErrorKind.Conflict, NetworkErrors.SubnetOverlap, $"invalid pool request: subnet {w} overlaps with {route} in use on this host");
                }

                subnet = w;
            }
            else
            {
                subnet = Pools.SelectMany(p => p.Subnets()).FirstOrDefault(c => !taken.Any(t => Ipv4.Overlaps(t, c)));
                if (subnet.PrefixLength == 0)
                {
                    throw StrataException.Unavailable(NetworkErrors.PoolExhausted, "could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network");
                }
            }

            var gateway = request.Gateway is { } g ? Ipv4.ParseAddress(g, "gateway") : Ipv4.FirstHost(subnet);
            if (!Ipv4.Hosts(subnet).Contains(gateway))
            {
                throw StrataException.Invalid(NetworkErrors.AddressInvalid, $"invalid gateway {gateway}: not a host address of subnet {subnet}");
            }

            var record = new NetworkRecord
            {
                Id = id,
                Name = request.Name,
                Subnet = subnet.ToString(),
                Gateway = gateway.ToString(),
                Internal = request.Internal,
                Labels = request.Labels,
                Created = DateTimeOffset.UtcNow,
                Bridge = "st-" + id[..12],
            };
            try
            {
                if (await Driver.EnsureBridgeAsync(record, cancellationToken).ConfigureAwait(false) is { } warning)
                {
                    warnings.Add(warning);
                }

                await Store.AddAsync(others => others.Any(o => o.Name == record.Name)
                    ? throw StrataException.AlreadyExists(NetworkErrors.NameConflict, $"network with name {record.Name} already exists")
                    : record, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await Driver.RemoveBridgeAsync(record, CancellationToken.None).ConfigureAwait(false);
                throw;
            }

            return new NetworkResult(record, warnings);
        }
    }

    public Task<IReadOnlyList<NetworkRecord>> ListAsync(CancellationToken cancellationToken = default) => Store.ListAsync(cancellationToken);

    public Task<NetworkRecord> GetAsync(string nameOrId, CancellationToken cancellationToken = default) => Store.ResolveAsync(nameOrId, cancellationToken);

    /// <summary>The containers whose spec names the network, with their endpoint on it while they run.</summary>
    public async Task<IReadOnlyList<(ContainerRecord Container, NetworkEndpoint? Endpoint)>> ContainersOnAsync(NetworkRecord network, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        return [.. (await _containers.ListAsync(cancellationToken).ConfigureAwait(false))
            .Where(c => EndpointSettingsOf(c.Spec).Any(e => e.NetworkId == network.Id))
            .Select(c => (c, c.State.Endpoints.FirstOrDefault(e => e.NetworkId == network.Id)))];
    }

    /// <summary><c>network rm</c>: refuses the predefined networks and networks containers are connected to; removes bridge, rules and record.</summary>
    public async Task RemoveAsync(string nameOrId, CancellationToken cancellationToken = default)
    {
        var network = await PredefinedCheckAsync(nameOrId, "remove", cancellationToken).ConfigureAwait(false);
        var users = await ContainersOnAsync(network, cancellationToken).ConfigureAwait(false);
        if (users.Count > 0)
        {
            throw new StrataException(ErrorKind.Conflict, NetworkErrors.InUse,
                $"error while removing network: network {network.Name} id {network.ShortId} is in use by container(s) {string.Join(", ", users.Select(u => u.Container.Name))}");
        }

        await using (await Driver.LockAsync(cancellationToken).ConfigureAwait(false))
        {
            await Driver.RemoveBridgeAsync(network, cancellationToken).ConfigureAwait(false);
            await Store.DeleteAsync(network.Id, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary><c>network prune</c>: every user-defined network no container is connected to.</summary>
    public async Task<IReadOnlyList<string>> PruneAsync(CancellationToken cancellationToken = default)
    {
        var removed = new List<string>();
        foreach (var n in (await ListAsync(cancellationToken).ConfigureAwait(false)).Where(n => !n.IsDefault))
        {
            if ((await ContainersOnAsync(n, cancellationToken).ConfigureAwait(false)).Count == 0)
            {
                await RemoveAsync(n.Id, cancellationToken).ConfigureAwait(false);
                removed.Add(n.Name);
            }
        }

        return removed;
    }

    private async Task<NetworkRecord> PredefinedCheckAsync(string nameOrId, string verb, CancellationToken cancellationToken)
    {
        if (nameOrId is "host" or "none")
        {
            throw StrataException.Precondition(NetworkErrors.Predefined, $"{nameOrId} is a pre-defined network and cannot be {verb}d");
        }

        var network = await GetAsync(nameOrId, cancellationToken).ConfigureAwait(false);
        return network.IsDefault
            ? throw StrataException.Precondition(NetworkErrors.Predefined, $"{network.Name} is a pre-defined network and cannot be {verb}d")
            : network;
    }

    /// <summary>What a container's spec asks for, with containers made before user networks (no list) on the default bridge.</summary>
    public static IReadOnlyList<EndpointSettings> EndpointSettingsOf(ContainerSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Networks.Count > 0 || spec.Network is "host" or "none"
            ? spec.Networks
            : [new EndpointSettings { NetworkId = NetworkRecord.DefaultBridge.Id, NetworkName = NetworkRecord.DefaultName }];
    }

    /// <summary>Records that names or addresses changed, so running containers' DNS responders reload.</summary>
    internal void TouchNames()
    {
        Directory.CreateDirectory(_stateDir);
        var tmp = Path.Combine(_stateDir, ".names." + Environment.ProcessId);
        File.WriteAllText(tmp, Guid.NewGuid().ToString("N"));
        File.Move(tmp, NamesStampPath, overwrite: true);
    }

    internal string NamesStampPath => Path.Combine(_stateDir, "names");
}
