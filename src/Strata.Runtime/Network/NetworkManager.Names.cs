using System.Net;

namespace Strata.Runtime.Network;

public sealed partial class NetworkManager
{
    /// <summary>
    /// The names container <paramref name="containerId"/> resolves, from every running container's endpoints on its
    /// user-defined networks (the first of its networks wins a name two share). Names on networks it is not on,
    /// and everything on the default bridge, are absent: docker's scoping.
    /// </summary>
    public async Task<NameTable> NameTableAsync(string containerId, CancellationToken cancellationToken = default)
    {
        var all = await _containers.ListAsync(cancellationToken).ConfigureAwait(false);
        var self = all.FirstOrDefault(c => c.Id == containerId);
        if (self is null)
        {
            return NameTable.Empty;
        }

        var networks = self.State.Endpoints.Select(e => e.NetworkId).Where(id => id != NetworkRecord.DefaultBridge.Id).ToList();
        var table = new Dictionary<string, IPAddress>(StringComparer.OrdinalIgnoreCase);
        foreach (var networkId in networks)
        {
            foreach (var c in all.Where(c => c.State.IsActive))
            {
                if (c.State.Endpoints.FirstOrDefault(e => e.NetworkId == networkId) is not { } endpoint || !IPAddress.TryParse(endpoint.IpAddress, out var ip))
                {
                    continue;
                }

                var aliases = EndpointSettingsOf(c.Spec).FirstOrDefault(s => s.NetworkId == networkId)?.Aliases ?? [];
                foreach (var name in new[] { c.Name, c.ShortId }.Concat(aliases))
                {
                    table.TryAdd(name, ip);
                }

                // --link on a user-defined network resolves through the DNS (docker): the alias names the target here.
                foreach (var link in self.Spec.Links)
                {
                    var parts = link.Split(':', 2);
                    if (parts[0] == c.Name && parts.Length == 2)
                    {
                        table.TryAdd(parts[1], ip);
                    }
                }
            }
        }

        return new NameTable(table);
    }

    /// <summary>A per-container cache of <see cref="NameTableAsync"/> that reloads when names change anywhere in the store.</summary>
    public NameCache NamesFor(string containerId) => new(this, containerId);

    /// <summary>
    /// The hosts lines of a container's <c>--link</c>s: the target's address on a network both share (else its first),
    /// then the alias, the target's short ID and name. A link to a container that is not running fails the start (docker).
    /// </summary>
    public async Task<IReadOnlyList<(string Address, string Names)>> LinkHostsAsync(Containers.ContainerRecord container, ContainerNetwork? network, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(container);
        var list = new List<(string, string)>();
        foreach (var link in container.Spec.Links)
        {
            var parts = link.Split(':', 2);
            var alias = parts.Length == 2 ? parts[1] : parts[0];
            var target = await _containers.TryResolveAsync(parts[0], cancellationToken).ConfigureAwait(false);
            if (target is null || !target.State.IsActive || target.State.Endpoints.Count == 0)
            {
                throw Strata.Oci.StrataException.Precondition(NetworkErrors.LinkInvalid, $"cannot link to a non running container: /{parts[0]} AS /{container.Name}/{alias}");
            }

            var shared = target.State.Endpoints.FirstOrDefault(e => network?.Endpoints.Any(n => n.NetworkId == e.NetworkId) == true) ?? target.State.Endpoints[0];
            var names = alias == target.Name ? $"{alias} {target.ShortId}" : $"{alias} {target.ShortId} {target.Name}";
            list.Add((shared.IpAddress, names));
        }

        return list;
    }
}
