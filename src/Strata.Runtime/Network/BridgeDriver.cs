using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Strata.Oci;

namespace Strata.Runtime.Network;

/// <summary>
/// The host side of bridge networks: one Linux bridge per network (its gateway address on it), a named network
/// namespace per container (<c>/run/netns/strata-ID12</c>) and one veth pair per network the container is on
/// (eth0, eth1, ... inside; the host end on the bridge). Addresses come from a host-wide address book
/// (<c>STATE/BRIDGE/IP</c>, each file naming the namespace that holds the address; an address whose namespace
/// is gone is free), changed only under <see cref="HostNetworkLock"/>.
/// </summary>
public sealed class BridgeDriver
{
    private readonly string _stateDir;

    public BridgeDriver(string stateDir = "/run/strata/ipam")
    {
        _stateDir = stateDir;
        Nat = new NatRules(Path.Combine(stateDir, ".nat"));
    }

    public NatRules Nat { get; }

    public static string NamespaceName(string containerId) => "strata-" + containerId[..12];

    public static string NamespacePath(string containerId) => "/run/netns/" + NamespaceName(containerId);

    /// <summary>The host end of a container's veth on a network: unique per (container, network), at most 15 characters.</summary>
    public static string HostInterfaceName(string containerId, string networkId) => "v" + containerId[..8] + networkId[..6];

    internal Task<FileStream> LockAsync(CancellationToken cancellationToken) => HostNetworkLock.AcquireAsync(_stateDir, cancellationToken);

    /// <summary>
    /// Creates the network's bridge with its gateway address, and its NAT rules (idempotent). A bridge that is up with
    /// its address already has its rules (they are made and removed together), so that case spawns nothing.
    /// Returns a warning when NAT could not be set up.
    /// </summary>
    public async Task<string?> EnsureBridgeAsync(NetworkRecord network, CancellationToken cancellationToken)
    {
        var dev = network.Bridge;
        if (BridgeReady(network))
        {
            return null;
        }

        if (!Directory.Exists("/sys/class/net/" + dev))
        {
            var (code, output) = await HostCommand.TryIpAsync(cancellationToken, "link", "add", dev, "type", "bridge").ConfigureAwait(false);
            if (code != 0 && !Directory.Exists("/sys/class/net/" + dev))
            {
                throw StrataException.Unavailable(NetworkErrors.Setup, $"cannot create the {dev} bridge: {output.Trim()}");
            }
        }

        if (!HasAddress(dev, network.Gateway))
        {
            await HostCommand.IpAsync(cancellationToken, "addr", "add", $"{network.Gateway}/{network.PrefixLength}", "dev", dev).ConfigureAwait(false);
        }

        await HostCommand.IpAsync(cancellationToken, "link", "set", dev, "up").ConfigureAwait(false);
        return await Nat.ApplyAsync(network, cancellationToken).ConfigureAwait(false);
    }

    private static bool BridgeReady(NetworkRecord network)
    {
        var flags = "/sys/class/net/" + network.Bridge + "/flags";
        try
        {
            return File.Exists(flags)
                && (Convert.ToInt32(File.ReadAllText(flags).Trim(), 16) & 1) == 1
                && HasAddress(network.Bridge, network.Gateway);
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            return false;
        }
    }

    private static bool HasAddress(string dev, string address) =>
        System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.Name == dev)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Any(a => a.Address.ToString() == address);

    /// <summary>Deletes the bridge, its NAT rules and its address book (the caller holds the lock and checked nothing uses it).</summary>
    public async Task RemoveBridgeAsync(NetworkRecord network, CancellationToken cancellationToken)
    {
        await Nat.RemoveAsync(network, cancellationToken).ConfigureAwait(false);
        if (Directory.Exists("/sys/class/net/" + network.Bridge))
        {
            await HostCommand.IpAsync(cancellationToken, "link", "delete", network.Bridge).ConfigureAwait(false);
        }

        var book = Path.Combine(_stateDir, network.Bridge);
        if (Directory.Exists(book))
        {
            Directory.Delete(book, recursive: true);
        }
    }

    /// <summary>The container's network namespace with loopback up (made once per start).</summary>
    public async Task<string> CreateNamespaceAsync(string containerId, CancellationToken cancellationToken)
    {
        await RemoveNamespaceAsync(containerId, [], cancellationToken).ConfigureAwait(false);
        var ns = NamespaceName(containerId);
        await HostCommand.IpAsync(cancellationToken, "netns", "add", ns).ConfigureAwait(false);
        await HostCommand.IpAsync(cancellationToken, "-n", ns, "link", "set", "lo", "up").ConfigureAwait(false);
        return NamespacePath(containerId);
    }

    /// <summary>
    /// Puts the container (its namespace must exist) on <paramref name="network"/> as <paramref name="ifname"/>:
    /// the fixed address it asked for, else the lowest free one; the bridge is made again if it went missing (reboot).
    /// <paramref name="addDefaultRoute"/>: whether this network gives the default route (null: when there is none yet).
    /// </summary>
    public async Task<(NetworkEndpoint Endpoint, string? Warning)> ConnectAsync(string containerId, NetworkRecord network, EndpointSettings settings, string ifname, bool? addDefaultRoute, CancellationToken cancellationToken)
    {
        var ns = NamespaceName(containerId);
        var veth = HostInterfaceName(containerId, network.Id);
        string ip;
        string? warning;
        string mac;
        await using (await LockAsync(cancellationToken).ConfigureAwait(false))
        {
            warning = await EnsureBridgeAsync(network, cancellationToken).ConfigureAwait(false);
            ip = await AllocateAsync(network, ns, settings.IpAddress, cancellationToken).ConfigureAwait(false);
        }

        // docker's rule: without --mac-address the MAC is 02:42 followed by the IPv4 address, unique wherever the address is.
        mac = settings.MacAddress.Length > 0 ? settings.MacAddress : "02:42:" + string.Join(':', IPAddress.Parse(ip).GetAddressBytes().Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));

        try
        {
            if (Directory.Exists("/sys/class/net/" + veth))
            {
                await HostCommand.TryIpAsync(cancellationToken, "link", "delete", veth).ConfigureAwait(false);
            }

            // Two ip processes: the host side, then the namespace side (ip -batch takes no per-line -n).
            await BatchAsync(null, [
                $"link add {veth} type veth peer name {ifname} address {mac} netns {ns}",
                $"link set {veth} master {network.Bridge} up",
            ], cancellationToken).ConfigureAwait(false);
            var defaultRoute = !network.Internal && (addDefaultRoute
                ?? (await HostCommand.TryIpAsync(cancellationToken, "-n", ns, "-4", "route", "show", "default").ConfigureAwait(false)).Output.Trim().Length == 0);
            List<string> inside = [$"addr add {ip}/{network.PrefixLength} dev {ifname}", $"link set {ifname} up"];
            if (defaultRoute)
            {
                // The first network with a way out gives the default route (docker: the first connected network).
                inside.Add($"route add default via {network.Gateway} dev {ifname}");
            }

            await BatchAsync(ns, inside, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await DisconnectAsync(containerId, network, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        return (new NetworkEndpoint
        {
            NetworkId = network.Id,
            NetworkName = network.Name,
            Interface = ifname,
            HostInterface = veth,
            IpAddress = ip,
            Gateway = network.Gateway,
            PrefixLength = network.PrefixLength,
            MacAddress = mac,
        }, warning);
    }

    private static async Task BatchAsync(string? ns, IReadOnlyList<string> lines, CancellationToken cancellationToken)
    {
        List<string> args = ns is null ? ["-batch", "-"] : ["-n", ns, "-batch", "-"];
        var (code, output) = await HostCommand.RunAsync("ip", args, string.Join('\n', lines) + "\n", cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            throw StrataException.Unavailable(NetworkErrors.Setup, $"ip {string.Join(' ', args)}: {output.Trim()}");
        }
    }

    /// <summary>Takes the container off one network: its veth goes, its address is freed. Idempotent.</summary>
    public async Task DisconnectAsync(string containerId, NetworkRecord network, CancellationToken cancellationToken)
    {
        var veth = HostInterfaceName(containerId, network.Id);
        if (Directory.Exists("/sys/class/net/" + veth))
        {
            await HostCommand.TryIpAsync(cancellationToken, "link", "delete", veth).ConfigureAwait(false);
        }

        FreeAddresses(Path.Combine(_stateDir, network.Bridge), NamespaceName(containerId));
    }

    /// <summary>Removes the container's namespace (its veths go with it) and frees all its addresses. Idempotent.</summary>
    public async Task RemoveNamespaceAsync(string containerId, IEnumerable<string> hostInterfaces, CancellationToken cancellationToken)
    {
        var ns = NamespaceName(containerId);
        if (Directory.Exists(_stateDir))
        {
            foreach (var book in Directory.EnumerateDirectories(_stateDir).Where(d => !Path.GetFileName(d).StartsWith('.')))
            {
                FreeAddresses(book, ns);
            }
        }

        if (File.Exists("/run/netns/" + ns))
        {
            await HostCommand.TryIpAsync(cancellationToken, "netns", "delete", ns).ConfigureAwait(false);
        }

        foreach (var veth in hostInterfaces)
        {
            if (Directory.Exists("/sys/class/net/" + veth))
            {
                await HostCommand.TryIpAsync(cancellationToken, "link", "delete", veth).ConfigureAwait(false);
            }
        }
    }

    /// <summary>IPv4 subnets the host already uses: addresses on its interfaces and routes other than the default.</summary>
    public static async Task<IReadOnlyList<IPNetwork>> HostSubnetsAsync(CancellationToken cancellationToken)
    {
        var list = new List<IPNetwork>();
        var addrs = await HostCommand.TryIpAsync(cancellationToken, "-o", "-4", "addr", "show").ConfigureAwait(false);
        foreach (var line in addrs.Output.Split('\n'))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var i = Array.IndexOf(f, "inet");
            if (i >= 0 && i + 1 < f.Length && TryNetwork(f[i + 1], out var n))
            {
                list.Add(n);
            }
        }

        var routes = await HostCommand.TryIpAsync(cancellationToken, "-4", "route", "show", "table", "all").ConfigureAwait(false);
        foreach (var line in routes.Output.Split('\n'))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length == 0 || f[0] is "default" or "broadcast" or "local")
            {
                continue;
            }

            if (TryNetwork(f[0].Contains('/', StringComparison.Ordinal) ? f[0] : f[0] + "/32", out var n) && n.PrefixLength > 0
                && !IPAddress.IsLoopback(n.BaseAddress))
            {
                list.Add(n);
            }
        }

        return list;
    }

    private static bool TryNetwork(string cidr, out IPNetwork network)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && IPAddress.TryParse(cidr[..slash], out var a) && a.AddressFamily == AddressFamily.InterNetwork
            && int.TryParse(cidr[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var len) && len is >= 0 and <= 32)
        {
            network = new IPNetwork(Ipv4.Mask(a, len), len);
            return true;
        }

        network = default;
        return false;
    }

    private async Task<string> AllocateAsync(NetworkRecord network, string ns, string wanted, CancellationToken cancellationToken)
    {
        var book = Path.Combine(_stateDir, network.Bridge);
        Directory.CreateDirectory(book);
        if (wanted.Length > 0)
        {
            var entry = Path.Combine(book, wanted);
            if (File.Exists(entry) && HolderAlive(await File.ReadAllTextAsync(entry, cancellationToken).ConfigureAwait(false), ns))
            {
                throw new StrataException(ErrorKind.Conflict, NetworkErrors.AddressInUse, $"Address already in use: {wanted} on network {network.Name}");
            }

            await File.WriteAllTextAsync(entry, ns, cancellationToken).ConfigureAwait(false);
            return wanted;
        }

        foreach (var candidate in Ipv4.Hosts(network.Network).Select(a => a.ToString()))
        {
            if (candidate == network.Gateway)
            {
                continue;
            }

            var entry = Path.Combine(book, candidate);
            if (!File.Exists(entry) || !HolderAlive(await File.ReadAllTextAsync(entry, cancellationToken).ConfigureAwait(false), ns))
            {
                await File.WriteAllTextAsync(entry, ns, cancellationToken).ConfigureAwait(false);
                return candidate;
            }
        }

        throw StrataException.Unavailable(NetworkErrors.Full, $"no free address left on network {network.Name} ({network.Subnet})");
    }

    /// <summary>An address is held while the namespace named in its file exists (and is not the one asking again).</summary>
    private static bool HolderAlive(string holder, string asking)
    {
        var h = holder.Trim();
        return h != asking && File.Exists("/run/netns/" + h);
    }

    private static void FreeAddresses(string book, string ns)
    {
        if (!Directory.Exists(book))
        {
            return;
        }

        foreach (var entry in Directory.EnumerateFiles(book))
        {
            try
            {
                if (File.ReadAllText(entry).Trim() == ns)
                {
                    File.Delete(entry);
                }
            }
            catch (IOException)
            {
            }
        }
    }
}
