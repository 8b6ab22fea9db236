using System.Globalization;
using System.Text.Json.Nodes;
using Strata.Cli.Output;
using Strata.Runtime.Containers;
using Strata.Runtime.Network;

namespace Strata.Cli.Commands.Containers;

/// <summary>How containers print: <c>ps</c> columns and docker-shaped <c>inspect</c> documents.</summary>
public static class ContainerView
{
    public static string Status(ContainerRecord c, DateTimeOffset now) => c.State.Status switch
    {
        ContainerStatus.Running => "Up " + Humanize.Duration(now - (c.State.StartedAt ?? now)) + c.State.Health?.Status switch
        {
            null => string.Empty,
            Runtime.Health.HealthStatus.Starting => " (health: starting)",
            var h => " (" + h + ")",
        },
        ContainerStatus.Paused => "Up " + Humanize.Duration(now - (c.State.StartedAt ?? now)) + " (Paused)",
        ContainerStatus.Restarting => string.Create(CultureInfo.InvariantCulture, $"Restarting ({c.State.ExitCode}) {Humanize.Duration(now - (c.State.FinishedAt ?? now))} ago"),
        ContainerStatus.Exited => string.Create(CultureInfo.InvariantCulture, $"Exited ({c.State.ExitCode}) {Humanize.Duration(now - (c.State.FinishedAt ?? now))} ago"),
        ContainerStatus.Removing => "Removal In Progress",
        _ => "Created",
    };

    public static string State(ContainerRecord c) => c.State.Status.ToString().ToLowerInvariant();

    public static string Command(ContainerRecord c, bool noTrunc)
    {
        var text = string.Join(' ', c.Spec.Args);
        if (!noTrunc && text.Length > 20)
        {
            text = text[..19] + "…";
        }

        return "\"" + text + "\"";
    }

    public static string Ports(ContainerRecord c) => string.Join(", ", c.Spec.Publish.Select(p => p.ToString()));

    public static JsonObject Row(ContainerRecord c, bool noTrunc, DateTimeOffset now) => new()
    {
        ["ID"] = noTrunc ? c.Id : c.ShortId,
        ["Image"] = c.Spec.Image,
        ["Command"] = Command(c, noTrunc),
        ["CreatedAt"] = c.Created.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture),
        ["RunningFor"] = Humanize.Ago(c.Created, now),
        ["Status"] = Status(c, now),
        ["State"] = State(c),
        ["Ports"] = Ports(c),
        ["Names"] = c.Name,
        ["Labels"] = string.Join(',', c.Spec.Labels.Select(kv => kv.Key + "=" + kv.Value)),
        ["Mounts"] = string.Join(',', c.Spec.Mounts.Select(m => m.Type == "volume" ? m.Source : m.Destination)),
    };

    public static JsonObject Inspect(ContainerRecord c, ContainerManager manager, string driver, IReadOnlyList<string> lowerDirs, string? upperDir)
    {
        var s = c.State;
        var dir = manager.ContainerDir(c.Id);
        return new JsonObject
        {
            ["Id"] = c.Id,
            ["Created"] = Time(c.Created),
            ["Path"] = c.Spec.Args.FirstOrDefault() ?? string.Empty,
            ["Args"] = Array(c.Spec.Args.Skip(1)),
            ["State"] = new JsonObject
            {
                ["Status"] = State(c),
                ["Running"] = s.Status is ContainerStatus.Running or ContainerStatus.Paused,
                ["Paused"] = s.Status == ContainerStatus.Paused,
                ["Restarting"] = s.Status == ContainerStatus.Restarting,
                ["OOMKilled"] = s.OomKilled,
                ["Dead"] = false,
                ["Pid"] = s.Pid,
                ["ExitCode"] = s.ExitCode,
                ["Error"] = s.Error,
                ["StartedAt"] = s.StartedAt is { } st ? Time(st) : "0001-01-01T00:00:00Z",
                ["FinishedAt"] = s.FinishedAt is { } f ? Time(f) : "0001-01-01T00:00:00Z",
                ["Health"] = s.Health is { } h ? new JsonObject
                {
                    ["Status"] = h.Status,
                    ["FailingStreak"] = h.FailingStreak,
                    ["Log"] = new JsonArray([.. h.Log.Select(l => (JsonNode)new JsonObject
                    {
                        ["Start"] = Time(l.Start),
                        ["End"] = Time(l.End),
                        ["ExitCode"] = l.ExitCode,
                        ["Output"] = l.Output,
                    })]),
                } : null,
            },
            ["Image"] = c.Spec.ImageId,
            ["ResolvConfPath"] = Path.Combine(dir, "resolv.conf"),
            ["HostnamePath"] = Path.Combine(dir, "hostname"),
            ["HostsPath"] = Path.Combine(dir, "hosts"),
            ["LogPath"] = manager.LogPath(c.Id),
            ["Name"] = "/" + c.Name,
            ["RestartCount"] = s.RestartCount,
            ["Driver"] = driver,
            ["Platform"] = "linux",
            ["HostConfig"] = new JsonObject
            {
                ["Binds"] = Array(c.Spec.Mounts.Where(m => m.Type != "tmpfs" && !m.Anonymous).Select(m => $"{m.Source}:{m.Destination}{(m.ReadOnly ? ":ro" : string.Empty)}")),
                ["NetworkMode"] = c.Spec.Network,
                ["Dns"] = Array(c.Spec.Dns),
                ["DnsSearch"] = Array(c.Spec.DnsSearch),
                ["DnsOptions"] = Array(c.Spec.DnsOptions),
                ["ExtraHosts"] = Array(c.Spec.ExtraHosts),
                ["Links"] = Array(c.Spec.Links.Select(l => l.Split(':', 2) is [var t, var a] ? $"/{t}:/{c.Name}/{a}" : l)),
                ["PortBindings"] = PortBindings(c),
                ["RestartPolicy"] = new JsonObject { ["Name"] = c.Spec.Restart.Name, ["MaximumRetryCount"] = c.Spec.Restart.MaximumRetryCount },
                ["AutoRemove"] = c.Spec.AutoRemove,
                ["Privileged"] = c.Spec.Privileged,
                ["ReadonlyRootfs"] = c.Spec.ReadOnlyRootfs,
                ["CapAdd"] = Array(c.Spec.CapAdd),
                ["CapDrop"] = Array(c.Spec.CapDrop),
                ["SecurityOpt"] = c.Spec.Security.Options.Count > 0 ? Array(c.Spec.Security.Options) : null,
                ["Memory"] = c.Spec.Resources.MemoryBytes,
                ["MemorySwap"] = c.Spec.Resources.MemorySwapBytes,
                ["NanoCpus"] = c.Spec.Resources.NanoCpus,
                ["CpuShares"] = c.Spec.Resources.CpuShares,
                ["PidsLimit"] = c.Spec.Resources.PidsLimit,
                ["Runtime"] = c.Spec.Runtime,
                ["Init"] = c.Spec.Init ? true : null,
                ["ShmSize"] = c.Spec.ShmSize > 0 ? c.Spec.ShmSize : 64 * 1024 * 1024,
                ["Sysctls"] = c.Spec.Sysctls.Count == 0 ? null : new JsonObject([.. c.Spec.Sysctls.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key, kv.Value))]),
                ["Ulimits"] = c.Spec.Ulimits.Count == 0 ? null : new JsonArray([.. c.Spec.Ulimits.Select(u => (JsonNode)new JsonObject { ["Name"] = u.Name, ["Hard"] = u.Hard, ["Soft"] = u.Soft })]),
            },
            ["NetworkSettings"] = NetworkSettings(c),
            ["GraphDriver"] = new JsonObject
            {
                ["Name"] = driver,
                ["Data"] = new JsonObject
                {
                    ["LowerDir"] = string.Join(':', lowerDirs),
                    ["UpperDir"] = upperDir,
                    ["MergedDir"] = manager.RootfsDir(c.Id),
                },
            },
            ["Mounts"] = new JsonArray([.. c.Spec.Mounts.Select(m => (JsonNode)new JsonObject
            {
                ["Type"] = m.Type,
                ["Name"] = m.Type == "volume" ? m.Source : null,
                ["Source"] = m.Type switch { "volume" => manager.Volumes.DataDir(m.Source), "bind" => m.Source, _ => string.Empty },
                ["Destination"] = m.Destination,
                ["RW"] = !m.ReadOnly,
            })]),
            ["Config"] = new JsonObject
            {
                ["Hostname"] = c.Spec.Hostname,
                ["User"] = c.Spec.User,
                ["Tty"] = c.Spec.Tty,
                ["OpenStdin"] = c.Spec.OpenStdin,
                ["Env"] = Array(c.Spec.Env),
                ["Cmd"] = Array(c.Spec.Cmd),
                ["Image"] = c.Spec.Image,
                ["WorkingDir"] = c.Spec.WorkingDir,
                ["Entrypoint"] = c.Spec.Entrypoint.Count == 0 ? null : Array(c.Spec.Entrypoint),
                ["Labels"] = new JsonObject([.. c.Spec.Labels.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key, kv.Value))]),
                ["StopSignal"] = c.Spec.StopSignal,
                ["StopTimeout"] = c.Spec.StopTimeout,
                ["Healthcheck"] = c.Spec.Healthcheck is { } hc ? System.Text.Json.JsonSerializer.SerializeToNode(hc, Strata.Oci.OciJsonContext.Default.HealthConfig) : null,
            },
        };
    }

    /// <summary>docker's NetworkSettings: the top-level address fields describe the default bridge only; Networks has one entry per network.</summary>
    private static JsonObject NetworkSettings(ContainerRecord c)
    {
        var s = c.State;
        var bridge = s.Endpoints.FirstOrDefault(e => e.NetworkId == NetworkRecord.DefaultBridge.Id);
        var networks = new JsonObject();
        foreach (var settings in NetworkManager.EndpointSettingsOf(c.Spec))
        {
            var e = s.Endpoints.FirstOrDefault(x => x.NetworkId == settings.NetworkId);
            networks[e?.NetworkName ?? settings.NetworkName] = new JsonObject
            {
                ["IPAMConfig"] = settings.IpAddress.Length > 0 ? new JsonObject { ["IPv4Address"] = settings.IpAddress } : null,
                ["Links"] = null,
                ["Aliases"] = Array(settings.Aliases),
                ["MacAddress"] = e?.MacAddress ?? settings.MacAddress,
                ["NetworkID"] = settings.NetworkId,
                ["EndpointID"] = e?.HostInterface ?? string.Empty,
                ["Gateway"] = e?.Gateway ?? string.Empty,
                ["IPAddress"] = e?.IpAddress ?? string.Empty,
                ["IPPrefixLen"] = e?.PrefixLength ?? 0,
                ["DNSNames"] = settings.NetworkId == NetworkRecord.DefaultBridge.Id ? null : Array([c.Name, c.ShortId, .. settings.Aliases]),
            };
        }

        return new JsonObject
        {
            ["SandboxKey"] = s.Endpoints.Count > 0 ? BridgeDriver.NamespacePath(c.Id) : string.Empty,
            ["Ports"] = PortBindings(c),
            ["IPAddress"] = bridge?.IpAddress ?? string.Empty,
            ["Gateway"] = bridge?.Gateway ?? string.Empty,
            ["IPPrefixLen"] = bridge?.PrefixLength ?? 0,
            ["MacAddress"] = bridge?.MacAddress ?? string.Empty,
            ["Networks"] = networks,
        };
    }

    private static JsonObject PortBindings(ContainerRecord c)
    {
        var o = new JsonObject();
        foreach (var p in c.Spec.Publish)
        {
            o[string.Create(CultureInfo.InvariantCulture, $"{p.ContainerPort}/{p.Protocol}")] = new JsonArray(new JsonObject { ["HostIp"] = p.HostIp, ["HostPort"] = p.HostPort.ToString(CultureInfo.InvariantCulture) });
        }

        return o;
    }

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static JsonArray Array(IEnumerable<string> items) => new([.. items.Select(i => (JsonNode)JsonValue.Create(i))]);
}
