using System.Diagnostics;
using System.Globalization;
using Strata.Oci;

namespace Strata.Runtime.Network;

/// <summary>
/// The default <c>bridge</c> network: a Linux bridge <c>strata0</c> (10.89.0.1/24) and, per container, a named
/// network namespace with loopback and one end of a veth pair as eth0 (an address from 10.89.0.0/24, default route
/// via the bridge); the other end joins the bridge, so containers reach each other and the host's bridge address.
/// Strata adds no NAT or forwarding rules and never changes host sysctls: traffic stays on this host unless the
/// administrator routes it. Where the host does not allow any of this (no <c>ip</c>, no privileges), the caller
/// falls back to a private namespace with loopback only.
/// </summary>
public sealed class BridgeNetwork
{
    public const string BridgeName = "strata0";
    public const string Gateway = "10.89.0.1";
    public const int PrefixLength = 24;
    private const string SubnetPrefix = "10.89.0.";

    private readonly string _stateDir;

    /// <summary>The bridge is host-wide, so its address book is too (default <c>/run/strata/ipam</c>): one file per address naming the namespace that holds it.</summary>
    public BridgeNetwork(string stateDir = "/run/strata/ipam") => _stateDir = stateDir;

    public static string NamespaceName(string containerId) => "strata-" + containerId[..12];

    /// <summary>
    /// Creates the container's namespace and veth on the bridge with the lowest free address (chosen under a
    /// host-wide lock, so concurrent starts from any store never share one; an address whose namespace is gone is free).
    /// </summary>
    public async Task<NetworkAttachment> AttachAsync(string containerId, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(_stateDir);
        var ns = NamespaceName(containerId);
        var veth = "vs" + containerId[..12];
        await DetachAsync(containerId, cancellationToken).ConfigureAwait(false);
        await using var gate = await LockAsync(cancellationToken).ConfigureAwait(false);
        await EnsureBridgeAsync(cancellationToken).ConfigureAwait(false);
        string? ip = null;
        foreach (var candidate in Enumerable.Range(2, 253).Select(i => SubnetPrefix + i.ToString(CultureInfo.InvariantCulture)))
        {
            var entry = Path.Combine(_stateDir, candidate);
            if (!File.Exists(entry) || !File.Exists("/run/netns/" + (await File.ReadAllTextAsync(entry, cancellationToken).ConfigureAwait(false)).Trim()))
            {
                ip = candidate;
                await File.WriteAllTextAsync(entry, ns, cancellationToken).ConfigureAwait(false);
                break;
            }
        }

        if (ip is null)
        {
            throw StrataException.Unavailable("NETWORK_FULL", $"no free address left on the {BridgeName} network (10.89.0.0/24)");
        }

        try
        {
            await IpAsync(cancellationToken, "netns", "add", ns).ConfigureAwait(false);
            await IpAsync(cancellationToken, "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns).ConfigureAwait(false);
            await IpAsync(cancellationToken, "link", "set", veth, "master", BridgeName).ConfigureAwait(false);
            await IpAsync(cancellationToken, "link", "set", veth, "up").ConfigureAwait(false);
            await IpAsync(cancellationToken, "-n", ns, "addr", "add", $"{ip}/{PrefixLength}", "dev", "eth0").ConfigureAwait(false);
            await IpAsync(cancellationToken, "-n", ns, "link", "set", "eth0", "up").ConfigureAwait(false);
            await IpAsync(cancellationToken, "-n", ns, "link", "set", "lo", "up").ConfigureAwait(false);
            await IpAsync(cancellationToken, "-n", ns, "route", "add", "default", "via", Gateway).ConfigureAwait(false);
        }
        catch
        {
            await DetachAsync(containerId, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        return new NetworkAttachment("/run/netns/" + ns, ip, Gateway, PrefixLength);
    }

    /// <summary>Removes the container's namespace (its veth goes with it) and frees its address. Idempotent.</summary>
    public async Task DetachAsync(string containerId, CancellationToken cancellationToken = default)
    {
        var ns = NamespaceName(containerId);
        if (Directory.Exists(_stateDir))
        {
            foreach (var entry in Directory.EnumerateFiles(_stateDir, SubnetPrefix + "*"))
            {
                try
                {
                    if ((await File.ReadAllTextAsync(entry, cancellationToken).ConfigureAwait(false)).Trim() == ns)
                    {
                        File.Delete(entry);
                    }
                }
                catch (IOException)
                {
                }
            }
        }

        if (File.Exists("/run/netns/" + ns))
        {
            await RunAsync(cancellationToken, "netns", "delete", ns).ConfigureAwait(false);
        }

        var veth = "vs" + containerId[..12];
        if (Directory.Exists("/sys/class/net/" + veth))
        {
            await RunAsync(cancellationToken, "link", "delete", veth).ConfigureAwait(false);
        }
    }

    private static async Task EnsureBridgeAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists("/sys/class/net/" + BridgeName))
        {
            // Another store's strata may create it at the same moment: only its absence afterwards is an error.
            var (code, output) = await RunAsync(cancellationToken, "link", "add", BridgeName, "type", "bridge").ConfigureAwait(false);
            if (code != 0 && !Directory.Exists("/sys/class/net/" + BridgeName))
            {
                throw StrataException.Unavailable("NETWORK_SETUP", $"cannot create the {BridgeName} bridge: {output.Trim()}");
            }
        }

        var addresses = await RunAsync(cancellationToken, "-o", "addr", "show", "dev", BridgeName).ConfigureAwait(false);
        if (!addresses.Output.Contains($" {Gateway}/", StringComparison.Ordinal))
        {
            await IpAsync(cancellationToken, "addr", "add", $"{Gateway}/{PrefixLength}", "dev", BridgeName).ConfigureAwait(false);
        }

        await IpAsync(cancellationToken, "link", "set", BridgeName, "up").ConfigureAwait(false);
    }

    private async Task<FileStream> LockAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new FileStream(Path.Combine(_stateDir, "lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(10, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task IpAsync(CancellationToken cancellationToken, params string[] args)
    {
        var (code, output) = await RunAsync(cancellationToken, args).ConfigureAwait(false);
        if (code != 0)
        {
            throw StrataException.Unavailable("NETWORK_SETUP", $"ip {string.Join(' ', args)}: {output.Trim()}");
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        var psi = new ProcessStartInfo(File.Exists("/usr/sbin/ip") ? "/usr/sbin/ip" : "ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        try
        {
            using var p = Process.Start(psi) ?? throw StrataException.Unavailable("NETWORK_SETUP", "cannot run ip");
            var stdout = p.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = p.StandardError.ReadToEndAsync(cancellationToken);
            await p.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return (p.ExitCode, await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false));
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw StrataException.Unavailable("NETWORK_SETUP", $"cannot run ip (iproute2): {e.Message}");
        }
    }
}
