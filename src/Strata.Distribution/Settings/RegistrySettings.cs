using System.Net;
using System.Text.Json;
using Strata.Oci;

namespace Strata.Distribution.Settings;

/// <summary>
/// Registry settings from a docker-style <c>daemon.json</c> (<c>/etc/strata/daemon.json</c>, or
/// <c>$STRATA_DAEMON_JSON</c>, or a flag): which hosts may use plain HTTP or unverified TLS, which mirrors
/// serve docker.io, and where per-host CA certificates live (<c>certs.d/HOST[:PORT]/ca.crt</c>).
/// </summary>
public sealed record RegistrySettings
{
    public const string DefaultPath = "/etc/strata/daemon.json";
    public const string DefaultCertsDir = "/etc/strata/certs.d";

    /// <summary>Docker treats loopback as insecure without being told (registry/config.go).</summary>
    private static readonly CidrRange[] DefaultInsecureCidrs =
    [
        new(IPAddress.Parse("127.0.0.0"), 8),
        new(IPAddress.IPv6Loopback, 128),
    ];

    /// <summary>Insecure registries given by name (<c>host</c> or <c>host:port</c>), lowercase.</summary>
    public IReadOnlyList<string> InsecureHosts { get; init; } = [];

    /// <summary>Insecure registries given as networks; loopback is always included.</summary>
    public IReadOnlyList<CidrRange> InsecureCidrs { get; init; } = DefaultInsecureCidrs;

    /// <summary>Mirrors tried before docker.io for pulls (<c>registry-mirrors</c>), in order.</summary>
    public IReadOnlyList<Uri> Mirrors { get; init; } = [];

    /// <summary>Per-host trust: <c>CertsDir/HOST[:PORT]/ca.crt</c> (and <c>client.cert</c>/<c>client.key</c>).</summary>
    public string CertsDir { get; init; } = DefaultCertsDir;

    public static RegistrySettings Default { get; } = new();

    /// <summary>
    /// Loads <paramref name="path"/>, else <c>$STRATA_DAEMON_JSON</c>, else <see cref="DefaultPath"/>; a missing
    /// default file gives the defaults, a missing explicit file or a malformed one is an error.
    /// </summary>
    public static async Task<RegistrySettings> LoadAsync(string? path = null, CancellationToken cancellationToken = default)
    {
        var explicitPath = path ?? Environment.GetEnvironmentVariable("STRATA_DAEMON_JSON");
        var file = string.IsNullOrEmpty(explicitPath) ? DefaultPath : explicitPath;
        var certsEnv = Environment.GetEnvironmentVariable("STRATA_CERTS_D");
        if (!File.Exists(file))
        {
            if (!string.IsNullOrEmpty(explicitPath))
            {
                throw StrataException.NotFound("CONFIG_NOT_FOUND", $"registry settings file {file} not found");
            }

            return string.IsNullOrEmpty(certsEnv) ? Default : Default with { CertsDir = certsEnv };
        }

        DaemonSettingsFile parsed;
        try
        {
            await using var s = File.OpenRead(file);
            parsed = await JsonSerializer.DeserializeAsync(s, DistributionJsonContext.Default.DaemonSettingsFile, cancellationToken).ConfigureAwait(false)
                ?? new DaemonSettingsFile();
        }
        catch (JsonException e)
        {
            throw StrataException.Invalid("CONFIG_INVALID", $"invalid registry settings in {file}: {e.Message}", e);
        }

        var settings = FromFile(parsed, file);
        return string.IsNullOrEmpty(certsEnv) ? settings : settings with { CertsDir = certsEnv };
    }

    public static RegistrySettings FromFile(DaemonSettingsFile file, string source = "daemon.json")
    {
        ArgumentNullException.ThrowIfNull(file);
        var hosts = new List<string>();
        var cidrs = new List<CidrRange>(DefaultInsecureCidrs);
        foreach (var entry in file.InsecureRegistries ?? [])
        {
            var e = StripScheme(entry.Trim()).TrimEnd('/').ToLowerInvariant();
            if (e.Length == 0)
            {
                continue;
            }

            if (e.Contains('/', StringComparison.Ordinal))
            {
                if (!CidrRange.TryParse(e, out var range))
                {
                    throw StrataException.Invalid("CONFIG_INVALID", $"{source}: insecure-registries entry \"{entry}\" is neither a host nor a CIDR");
                }

                cidrs.Add(range);
            }
            else
            {
                hosts.Add(e);
            }
        }

        var mirrors = new List<Uri>();
        foreach (var m in file.RegistryMirrors ?? [])
        {
            if (!Uri.TryCreate(m.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                throw StrataException.Invalid("CONFIG_INVALID", $"{source}: registry mirror \"{m}\" must be an http:// or https:// URL");
            }

            mirrors.Add(uri);
        }

        return new RegistrySettings
        {
            InsecureHosts = hosts,
            InsecureCidrs = cidrs,
            Mirrors = mirrors,
            CertsDir = string.IsNullOrEmpty(file.CertsDir) ? DefaultCertsDir : file.CertsDir,
        };
    }

    /// <summary>
    /// True when <paramref name="authority"/> (<c>host</c> or <c>host:port</c>) may use plain HTTP or
    /// unverified TLS: listed by name (with or without port), or an address inside an insecure CIDR
    /// (<c>localhost</c> counts as 127.0.0.1). Other names are not resolved: list them by name.
    /// </summary>
    public bool IsInsecure(string authority)
    {
        ArgumentNullException.ThrowIfNull(authority);
        var a = authority.ToLowerInvariant();
        var host = HostOf(a);
        if (InsecureHosts.Contains(a) || InsecureHosts.Contains(host))
        {
            return true;
        }

        var ip = host == "localhost" ? IPAddress.Loopback : IPAddress.TryParse(host.Trim('[', ']'), out var parsed) ? parsed : null;
        return ip is not null && InsecureCidrs.Any(c => c.Contains(ip));
    }

    /// <summary>The host part of <c>host:port</c> or <c>[v6]:port</c>.</summary>
    public static string HostOf(string authority)
    {
        ArgumentNullException.ThrowIfNull(authority);
        if (authority.StartsWith('['))
        {
            var end = authority.IndexOf(']', StringComparison.Ordinal);
            return end > 0 ? authority[..(end + 1)] : authority;
        }

        var colon = authority.LastIndexOf(':');
        return colon > 0 ? authority[..colon] : authority;
    }

    private static string StripScheme(string e) =>
        e.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? e[7..]
        : e.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? e[8..]
        : e;
}
