using Strata.Oci;

namespace Strata.Runtime.Network;

/// <summary>
/// NAT out and isolation per network, owned by name so Strata removes exactly its own rules. With nftables
/// (preferred) each network has one table, <c>ip strata-BRIDGE</c>: a masquerade rule for its subnet
/// (none for internal networks) and, for internal networks, forward drops between the bridge and any other
/// interface. Without nft, the same rules go into iptables' nat/filter tables tagged with the comment
/// <c>strata:BRIDGE</c>. <c>net.ipv4.ip_forward</c> is switched on by the first network that needs it, and
/// switched back to what it was when the last such network goes (the value is kept in STATE/ip_forward.orig).
/// Callers hold <see cref="HostNetworkLock"/>.
/// </summary>
public sealed class NatRules
{
    private const string IpForward = "/proc/sys/net/ipv4/ip_forward";
    private readonly string _stateDir;

    public NatRules(string stateDir) => _stateDir = stateDir;

    /// <summary><c>nftables</c> when <c>nft</c> is installed, else <c>iptables</c>, else <c>none</c>.</summary>
    public static string Backend => HostCommand.Find("nft") is not null ? "nftables" : HostCommand.Find("iptables") is not null ? "iptables" : "none";

    public static string TableName(NetworkRecord network) => "strata-" + network.Bridge;

    public static string Comment(NetworkRecord network) => "strata:" + network.Bridge;

    /// <summary>Whether the kernel forwards IPv4 now.</summary>
    public static bool ForwardingEnabled => File.Exists(IpForward) && File.ReadAllText(IpForward).Trim() == "1";

    /// <summary>Networks (bridge names) whose NAT needs forwarding.</summary>
    public IReadOnlyList<string> ForwardingUsers =>
        Directory.Exists(_stateDir) ? [.. Directory.EnumerateFiles(_stateDir, "user-*").Select(f => Path.GetFileName(f)["user-".Length..]).Order(StringComparer.Ordinal)] : [];

    /// <summary>Installs (or replaces) the network's rules; returns a one-line warning instead of failing when the host forbids it.</summary>
    public async Task<string?> ApplyAsync(NetworkRecord network, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(network);
        string? failure = Backend switch
        {
            "nftables" => await NftAsync(NftScript(network), cancellationToken).ConfigureAwait(false),
            "iptables" => await IptablesApplyAsync(network, cancellationToken).ConfigureAwait(false),
            _ => "neither nft nor iptables is installed",
        };
        if (failure is not null)
        {
            return $"network {network.Name}: no NAT or isolation rules ({failure.Trim()}); containers reach only this host";
        }

        if (network.Internal)
        {
            return null;
        }

        Directory.CreateDirectory(_stateDir);
        await File.WriteAllTextAsync(Path.Combine(_stateDir, "user-" + network.Bridge), network.Subnet, cancellationToken).ConfigureAwait(false);
        try
        {
            var orig = Path.Combine(_stateDir, "ip_forward.orig");
            if (!ForwardingEnabled)
            {
                if (!File.Exists(orig))
                {
                    await File.WriteAllTextAsync(orig, File.Exists(IpForward) ? File.ReadAllText(IpForward).Trim() : "0", cancellationToken).ConfigureAwait(false);
                }

                await File.WriteAllTextAsync(IpForward, "1", cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"network {network.Name}: cannot enable IPv4 forwarding ({e.Message}); containers reach only this host";
        }

        return null;
    }

    /// <summary>Removes exactly the network's rules; restores ip_forward when no network needs it any more.</summary>
    public async Task RemoveAsync(NetworkRecord network, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (HostCommand.Find("nft") is not null)
        {
            var (code, output) = await HostCommand.RunAsync("nft", ["list", "table", "ip", TableName(network)], null, cancellationToken).ConfigureAwait(false);
            if (code == 0 && output.Length > 0)
            {
                await NftAsync($"delete table ip {TableName(network)}\n", cancellationToken).ConfigureAwait(false);
            }
        }

        if (HostCommand.Find("iptables") is not null)
        {
            await IptablesRemoveAsync(network, cancellationToken).ConfigureAwait(false);
        }

        var user = Path.Combine(_stateDir, "user-" + network.Bridge);
        if (File.Exists(user))
        {
            File.Delete(user);
        }

        var orig = Path.Combine(_stateDir, "ip_forward.orig");
        if (ForwardingUsers.Count == 0 && File.Exists(orig))
        {
            try
            {
                await File.WriteAllTextAsync(IpForward, (await File.ReadAllTextAsync(orig, cancellationToken).ConfigureAwait(false)).Trim(), cancellationToken).ConfigureAwait(false);
                File.Delete(orig);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left as it is; the next removal tries again.
            }
        }
    }

    private static string NftScript(NetworkRecord n)
    {
        var t = TableName(n);
        var br = n.Bridge;
        // "add" then "delete" makes the replacement idempotent: the table exists for the delete either way.
        var s = $"add table ip {t}\ndelete table ip {t}\ntable ip {t} {{\n";
        if (n.Internal)
        {
            s += $"  chain forward {{\n    type filter hook forward priority filter; policy accept;\n"
                + $"    iifname \"{br}\" oifname != \"{br}\" drop\n    oifname \"{br}\" iifname != \"{br}\" drop\n  }}\n";
        }
        else
        {
            s += $"  chain postrouting {{\n    type nat hook postrouting priority srcnat; policy accept;\n"
                + $"    ip saddr {n.Subnet} ip daddr != {n.Subnet} masquerade\n  }}\n"
                + $"  chain forward {{\n    type filter hook forward priority filter; policy accept;\n"
                + $"    iifname \"{br}\" accept\n    oifname \"{br}\" ct state established,related accept\n  }}\n";
        }

        return s + "}\n";
    }

    private static async Task<string?> NftAsync(string script, CancellationToken cancellationToken)
    {
        var (code, output) = await HostCommand.RunAsync("nft", ["-f", "-"], script, cancellationToken).ConfigureAwait(false);
        return code == 0 ? null : "nft: " + output.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
    }

    private static IEnumerable<(string Table, string[] Rule)> IptablesRules(NetworkRecord n)
    {
        var tag = new[] { "-m", "comment", "--comment", Comment(n) };
        if (n.Internal)
        {
            yield return ("filter", ["FORWARD", "-i", n.Bridge, "!", "-o", n.Bridge, .. tag, "-j", "DROP"]);
            yield return ("filter", ["FORWARD", "-o", n.Bridge, "!", "-i", n.Bridge, .. tag, "-j", "DROP"]);
        }
        else
        {
            yield return ("nat", ["POSTROUTING", "-s", n.Subnet, "!", "-d", n.Subnet, .. tag, "-j", "MASQUERADE"]);
            yield return ("filter", ["FORWARD", "-i", n.Bridge, .. tag, "-j", "ACCEPT"]);
            yield return ("filter", ["FORWARD", "-o", n.Bridge, "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", .. tag, "-j", "ACCEPT"]);
        }
    }

    private static async Task<string?> IptablesApplyAsync(NetworkRecord n, CancellationToken cancellationToken)
    {
        await IptablesRemoveAsync(n, cancellationToken).ConfigureAwait(false);
        foreach (var (table, rule) in IptablesRules(n))
        {
            var (code, output) = await HostCommand.RunAsync("iptables", ["-w", "-t", table, "-I", .. rule], null, cancellationToken).ConfigureAwait(false);
            if (code != 0)
            {
                await IptablesRemoveAsync(n, cancellationToken).ConfigureAwait(false);
                return "iptables: " + output.Trim();
            }
        }

        return null;
    }

    /// <summary>Deletes every iptables rule carrying the network's comment (found with iptables-save, so nothing else is touched).</summary>
    private static async Task IptablesRemoveAsync(NetworkRecord n, CancellationToken cancellationToken)
    {
        foreach (var table in new[] { "nat", "filter" })
        {
            var (code, output) = await HostCommand.RunAsync("iptables-save", ["-t", table], null, cancellationToken).ConfigureAwait(false);
            if (code != 0)
            {
                continue;
            }

            foreach (var line in output.Split('\n').Where(l => l.StartsWith("-A ", StringComparison.Ordinal) && l.Split(' ').Contains(Comment(n))))
            {
                var args = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                args[0] = "-D";
                await HostCommand.RunAsync("iptables", ["-w", "-t", table, .. args], null, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One line for <c>info</c>: the backend, and whether forwarding is on and for which networks.</summary>
    public string Describe() =>
        $"{Backend}; ip_forward {(ForwardingEnabled ? "on" : "off")}"
            + (ForwardingUsers.Count > 0 ? $" (needed by {string.Join(", ", ForwardingUsers)})" : string.Empty);
}
