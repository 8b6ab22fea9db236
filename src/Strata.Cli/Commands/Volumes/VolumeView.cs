using System.Globalization;
using System.Text.Json.Nodes;
using Strata.Runtime.Volumes;

namespace Strata.Cli.Commands.Volumes;

/// <summary>docker's <c>volume inspect</c> document.</summary>
public static class VolumeView
{
    public static JsonObject Inspect(VolumeRecord v) => new()
    {
        ["CreatedAt"] = v.Created.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture),
        ["Driver"] = v.Driver,
        ["Labels"] = new JsonObject([.. v.Labels.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key, kv.Value))]),
        ["Mountpoint"] = v.Mountpoint,
        ["Name"] = v.Name,
        ["Options"] = new JsonObject(),
        ["Scope"] = "local",
    };
}
