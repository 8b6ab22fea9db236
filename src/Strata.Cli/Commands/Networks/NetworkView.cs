using System.Globalization;
using System.Text.Json.Nodes;
using Strata.Runtime.Containers;
using Strata.Runtime.Network;

namespace Strata.Cli.Commands.Networks;

/// <summary>docker's <c>network inspect</c> document and <c>network ls</c> rows, plus the predefined host and none.</summary>
public static class NetworkView
{
    public static JsonObject Row(NetworkRecord n, bool noTrunc) => new()
    {
        ["ID"] = noTrunc ? n.Id : n.ShortId,
        ["Name"] = n.Name,
        ["Driver"] = n.Driver,
        ["Scope"] = "local",
        ["Internal"] = n.Internal.ToString().ToLowerInvariant(),
        ["IPv6"] = "false",
        ["CreatedAt"] = n.Created.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss.fffffff zzz", CultureInfo.InvariantCulture),
        ["Labels"] = string.Join(',', n.Labels.Select(kv => kv.Key + "=" + kv.Value)),
    };

    /// <summary>The two modes docker lists as networks too.</summary>
    public static IEnumerable<(string Id, string Name, string Driver)> Predefined =>
    [
        ("686f73742d6e6574776f726b2d6d6f646500000000000000000000000000000001", "host", "host"),
        ("6e6f6e652d6e6574776f726b2d6d6f646500000000000000000000000000000002", "none", "null"),
    ];

    public static JsonObject Inspect(NetworkRecord n, IEnumerable<(ContainerRecord Container, NetworkEndpoint? Endpoint)> containers) => new()
    {
        ["Name"] = n.Name,
        ["Id"] = n.Id,
        ["Created"] = n.Created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
        ["Scope"] = "local",
        ["Driver"] = n.Driver,
        ["EnableIPv6"] = false,
        ["IPAM"] = new JsonObject
        {
            ["Driver"] = "default",
            ["Options"] = new JsonObject(),
            ["Config"] = new JsonArray(new JsonObject { ["Subnet"] = n.Subnet, ["Gateway"] = n.Gateway }),
        },
        ["Internal"] = n.Internal,
        ["Attachable"] = false,
        ["Ingress"] = false,
        ["Containers"] = new JsonObject([.. containers.Select(c => new KeyValuePair<string, JsonNode?>(c.Container.Id, new JsonObject
        {
            ["Name"] = c.Container.Name,
            ["EndpointID"] = c.Endpoint is null ? string.Empty : c.Endpoint.HostInterface,
            ["MacAddress"] = c.Endpoint?.MacAddress ?? string.Empty,
            ["IPv4Address"] = c.Endpoint is null ? string.Empty : $"{c.Endpoint.IpAddress}/{c.Endpoint.PrefixLength}",
            ["IPv6Address"] = string.Empty,
        }))]),
        ["Options"] = new JsonObject
        {
            ["com.docker.network.bridge.name"] = n.Bridge,
            ["com.docker.network.bridge.enable_ip_masquerade"] = (!n.Internal).ToString().ToLowerInvariant(),
        },
        ["Labels"] = new JsonObject([.. n.Labels.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key, kv.Value))]),
    };
}
