using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text.Json;
using Strata.Cli.Output;
using Strata.Distribution.Credentials;
using Strata.Distribution.Settings;
using Strata.Oci;
using Strata.Registry.Maintenance;
using Strata.Registry.Server;

namespace Strata.Cli.Commands.Registry;

/// <summary><c>strata registry serve</c>: the private registry on Kestrel (flags override the JSON config file).</summary>
public static class ServeCommand
{
    public static Command Create(GlobalOptions globals, RegistryDataDir dataDir)
    {
        var config = new Option<string?>("--config") { Description = "JSON config file (keys as the long flags: addr, tls-cert, auth, gc-interval...)" };
        var addr = new Option<string?>("--addr") { Description = "Listen address HOST:PORT (default 127.0.0.1:5000)" };
        var tlsCert = new Option<string?>("--tls-cert") { Description = "TLS certificate (PEM)" };
        var tlsKey = new Option<string?>("--tls-key") { Description = "TLS private key (PEM)" };
        var insecure = new Option<bool?>("--insecure-http") { Description = "Serve plain HTTP (no TLS)" };
        var anonymous = new Option<bool?>("--anonymous-pull") { Description = "Let anyone pull when the registry has users" };
        var auth = new Option<string?>("--auth") { Description = "basic (default) or token (docker's Bearer flow via /token)" };
        var gcInterval = new Option<string?>("--gc-interval") { Description = "Run garbage collection this often (e.g. 1h)" };
        var gcGrace = new Option<string?>("--gc-grace") { Description = "Keep unreferenced blobs touched within this period (default 1h)" };
        var keepTags = new Option<int?>("--keep-tags") { Description = "Retention at each gc: keep the newest N tags per repository" };
        var untagged = new Option<string?>("--untagged-ttl") { Description = "Retention at each gc: delete untagged manifests older than this" };
        var upstream = new Option<string?>("--proxy-upstream") { Description = "Run as a pull-through cache of this registry URL" };
        var upstreamUser = new Option<string?>("--proxy-username") { Description = "User name for the upstream" };
        var upstreamPassword = new Option<string?>("--proxy-password") { Description = "Password for the upstream (or STRATA_PROXY_PASSWORD)" };
        var noAccessLog = new Option<bool?>("--no-access-log") { Description = "Do not write the JSON access log to stdout" };
        var noUi = new Option<bool?>("--no-ui") { Description = "Do not serve the web UI" };
        var redirect = new Option<bool?>("--redirect") { Description = "Answer blob GETs with a 307 to a presigned URL (S3 blob store)" };
        var tokenKey = new Option<string?>("--token-key") { Description = "Token signing key (PEM) shared by replicas (default <data-dir>/token-key.pem)" };
        var registry = new Distribution.RegistryOptions();
        var cmd = new Command("serve", "Serve the registry (OCI Distribution Spec 1.1, Docker Registry HTTP API v2, web UI at /ui/)")
        {
            config, addr, tlsCert, tlsKey, insecure, anonymous, auth, gcInterval, gcGrace, keepTags, untagged,
            upstream, upstreamUser, upstreamPassword, noAccessLog, noUi, redirect, tokenKey,
        };
        registry.AddTo(cmd);
        cmd.SetAction(async (parse, ct) =>
        {
            var file = parse.GetValue(config) is { } path ? ReadConfig(path) : new Dictionary<string, JsonElement>();
            string? S(Option<string?>? o, string key) => (o is null ? null : parse.GetValue(o)) ?? (file.TryGetValue(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null);
            bool B(Option<bool?> o, string key) => parse.GetValue(o) ?? (file.TryGetValue(key, out var v) && v.ValueKind is JsonValueKind.True);
            int? I(Option<int?> o, string key) => parse.GetValue(o) ?? (file.TryGetValue(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null);

            var dir = parse.GetValue(dataDir.Option) ?? (file.TryGetValue("data-dir", out var dd) ? dd.GetString() : null) ?? dataDir.Resolve(parse, globals);
            UpstreamRegistryAdapter? upstreamAdapter = null;
            if (S(upstream, "proxy-upstream") is { } up)
            {
                if (!Uri.TryCreate(up, UriKind.Absolute, out var upUri) || upUri.Scheme is not ("http" or "https"))
                {
                    throw StrataException.Invalid("UPSTREAM_INVALID", $"invalid --proxy-upstream {up}: give an http(s) URL");
                }

                var user = S(upstreamUser, "proxy-username");
                var pass = S(upstreamPassword, "proxy-password") ?? Environment.GetEnvironmentVariable("STRATA_PROXY_PASSWORD");
                var settings = await registry.LoadAsync(parse, ct);
                upstreamAdapter = new UpstreamRegistryAdapter(upUri, user is null ? null : new RegistryCredential(user, pass ?? string.Empty), settings);
            }

            var keep = I(keepTags, "keep-tags");
            if (keep is < 0)
            {
                throw StrataException.Invalid("KEEP_TAGS", "--keep-tags must be 0 or more");
            }

            var options = new RegistryServerOptions
            {
                Root = Path.GetFullPath(dir),
                Metadata = parse.GetValue(dataDir.Metadata) ?? S(null, "metadata"),
                BlobStore = parse.GetValue(dataDir.BlobStore) ?? S(null, "blob-store"),
                S3 = dataDir.S3(parse, k => S(null, k), k => file.TryGetValue(k, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null),
                Redirect = B(redirect, "redirect") ? TimeSpan.FromMinutes(20) : null,
                TokenKey = S(tokenKey, "token-key"),
                Address = S(addr, "addr") ?? "127.0.0.1:5000",
                TlsCertificate = S(tlsCert, "tls-cert"),
                TlsKey = S(tlsKey, "tls-key"),
                InsecureHttp = B(insecure, "insecure-http"),
                AnonymousPull = B(anonymous, "anonymous-pull"),
                AuthMode = S(auth, "auth") ?? "basic",
                GcInterval = S(gcInterval, "gc-interval") is { } gi ? Units.ParseDuration(gi, "--gc-interval") : null,
                Gc = new GcOptions
                {
                    Grace = S(gcGrace, "gc-grace") is { } g ? Units.ParseDuration(g, "--gc-grace") : TimeSpan.FromHours(1),
                    KeepTags = keep,
                    UntaggedOlderThan = S(untagged, "untagged-ttl") is { } u ? Units.ParseDuration(u, "--untagged-ttl") : null,
                },
                Upstream = upstreamAdapter,
                AccessLog = B(noAccessLog, "no-access-log") ? null : Console.OpenStandardOutput(),
                Ui = !B(noUi, "no-ui"),
            };

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
            {
                c.Cancel = true;
                stop.Cancel();
            });
            await using var server = await RegistryServer.StartAsync(options, null, ct);
            await Console.Error.WriteLineAsync($"Strata registry listening on {server.Address.GetLeftPart(UriPartial.Authority)} (metadata {server.Metadata.Location}, blobs {server.Blobs.Location}, auth {options.AuthMode}{(upstreamAdapter is null ? string.Empty : ", pull-through cache")})");
            await server.WaitForShutdownAsync(stop.Token);
            await Console.Error.WriteLineAsync("Strata registry stopping");
            upstreamAdapter?.Dispose();
            return 0;
        });
        return cmd;
    }

    private static Dictionary<string, JsonElement> ReadConfig(string path)
    {
        if (!File.Exists(path))
        {
            throw StrataException.NotFound("CONFIG_NOT_FOUND", $"no such config file: {path}");
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw StrataException.Invalid("CONFIG_INVALID", $"{path}: expected a JSON object");
            }

            return doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
        }
        catch (JsonException e)
        {
            throw StrataException.Invalid("CONFIG_INVALID", $"{path}: {e.Message}");
        }
    }
}
