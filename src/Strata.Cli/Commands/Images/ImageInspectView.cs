using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Engine;
using Strata.Oci;
using Strata.Storage.Images;

namespace Strata.Cli.Commands.Images;

/// <summary>docker's image inspect document (Engine API ImageInspect) for a stored image.</summary>
public static class ImageInspectView
{
    public static async Task<JsonObject> BuildAsync(StrataEngine engine, ImageRecord image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(image);
        var (manifest, config) = await engine.Images.ReadAsync(image, cancellationToken);
        var layers = await engine.Images.LayersAsync(image, cancellationToken);
        var c = config.Config ?? new ContainerConfig();
        var cfg = new JsonObject
        {
            ["Hostname"] = string.Empty,
            ["Domainname"] = string.Empty,
            ["User"] = c.User ?? string.Empty,
            ["AttachStdin"] = false,
            ["AttachStdout"] = false,
            ["AttachStderr"] = false,
        };
        if (c.ExposedPorts is { } ports)
        {
            cfg["ExposedPorts"] = Set(ports.Keys);
        }

        cfg["Tty"] = false;
        cfg["OpenStdin"] = false;
        cfg["StdinOnce"] = false;
        cfg["Env"] = List(c.Env);
        cfg["Cmd"] = List(c.Cmd);
        if (c.Healthcheck is { } hc)
        {
            cfg["Healthcheck"] = JsonSerializer.SerializeToNode(hc, OciJsonContext.Default.HealthConfig);
        }

        if (c.ArgsEscaped is { } esc)
        {
            cfg["ArgsEscaped"] = esc;
        }

        cfg["Image"] = string.Empty;
        cfg["Volumes"] = c.Volumes is { } v ? Set(v.Keys) : null;
        cfg["WorkingDir"] = c.WorkingDir ?? string.Empty;
        cfg["Entrypoint"] = List(c.Entrypoint);
        cfg["OnBuild"] = List(c.OnBuild);
        cfg["Labels"] = c.Labels is { } labels ? new JsonObject(labels.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))) : null;
        if (c.StopSignal is { } sig)
        {
            cfg["StopSignal"] = sig;
        }

        if (c.Shell is { } shell)
        {
            cfg["Shell"] = List(shell);
        }

        var comment = config.Extra is { } extra && extra.TryGetValue("comment", out var ce) && ce.ValueKind == JsonValueKind.String ? ce.GetString() : null;
        var top = layers.Count > 0 ? engine.Images.Snapshots?.DirectoryOf(layers[^1].ChainId.ToString()) : null;
        var doc = new JsonObject
        {
            ["Id"] = image.Id.ToString(),
            ["RepoTags"] = new JsonArray(image.Names.Select(n => (JsonNode?)n.FamiliarString).ToArray()),
            ["RepoDigests"] = new JsonArray(image.RepoDigests.Select(n => (JsonNode?)n.FamiliarString).ToArray()),
            ["Parent"] = string.Empty,
            ["Comment"] = comment ?? string.Empty,
            ["Created"] = Time(config.Created ?? image.Created),
            ["DockerVersion"] = string.Empty,
            ["Author"] = config.Author ?? string.Empty,
            ["Config"] = cfg,
            ["Architecture"] = config.Architecture,
            ["Os"] = config.Os,
            ["Size"] = image.Size,
            ["GraphDriver"] = new JsonObject
            {
                ["Data"] = top is null ? null : new JsonObject { ["UpperDir"] = top },
                ["Name"] = engine.Images.Snapshots?.Driver ?? "overlay",
            },
            ["RootFS"] = new JsonObject
            {
                ["Type"] = config.RootFs.Type,
                ["Layers"] = new JsonArray(config.RootFs.DiffIds.Select(d => (JsonNode?)d.ToString()).ToArray()),
            },
            ["Metadata"] = new JsonObject { ["LastTagTime"] = Time(DateTimeOffset.UnixEpoch) },
            ["Descriptor"] = new JsonObject
            {
                ["mediaType"] = image.ManifestMediaType,
                ["digest"] = image.ManifestDigest.ToString(),
                ["size"] = manifest.Raw.Length,
            },
        };
        if (config.Variant is { } variant)
        {
            // docker places Variant after Architecture and omits it when empty.
            doc.Insert(doc.IndexOf("Os"), "Variant", variant);
        }

        return doc;
    }

    /// <summary>RFC 3339 with nanoseconds in UTC, as Go marshals time.Time.</summary>
    public static string Time(DateTimeOffset t) =>
        t == DateTimeOffset.UnixEpoch ? "0001-01-01T00:00:00Z" : t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static JsonArray? List(IReadOnlyList<string>? items) =>
        items is null ? null : new JsonArray(items.Select(i => (JsonNode?)i).ToArray());

    private static JsonObject Set(IEnumerable<string> keys) =>
        new(keys.OrderBy(k => k, StringComparer.Ordinal).Select(k => KeyValuePair.Create(k, (JsonNode?)new JsonObject())));
}
