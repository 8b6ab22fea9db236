using System.Net;

namespace Strata.Runtime.Network;

/// <summary>The names one container can resolve: container names, short IDs, aliases and link aliases on its user-defined networks.</summary>
public sealed class NameTable
{
    private readonly Dictionary<string, IPAddress> _names;

    public NameTable(Dictionary<string, IPAddress> names) => _names = names;

    public static NameTable Empty { get; } = new(new Dictionary<string, IPAddress>(StringComparer.OrdinalIgnoreCase));

    public int Count => _names.Count;

    public IPAddress? Find(string name) => _names.TryGetValue(name, out var ip) ? ip : null;
}
