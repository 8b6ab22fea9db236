using Strata.Distribution.Credentials;
using Strata.Distribution.Settings;
using Strata.Distribution.Transport;
using Strata.Oci;

namespace Strata.Distribution;

/// <summary>
/// Makes connected <see cref="RegistryClient"/>s: picks the endpoints for a registry name (mirrors first for
/// docker.io pulls), the scheme (HTTPS; for insecure registries HTTPS without verification, then plain HTTP,
/// as docker does), trust and credentials.
/// </summary>
public sealed class RegistryClientFactory
{
    private readonly TlsTrust _trust;

    public RegistryClientFactory(RegistrySettings settings, ICredentialProvider credentials, RetryPolicy? retry = null)
    {
        Settings = settings;
        Credentials = credentials;
        Retry = retry ?? RetryPolicy.Default;
        _trust = new TlsTrust(settings);
    }

    public RegistrySettings Settings { get; }

    public ICredentialProvider Credentials { get; }

    public RetryPolicy Retry { get; }

    /// <summary>Endpoints to pull from, in order: the configured mirrors (docker.io only), then the registry itself.</summary>
    public IReadOnlyList<RegistryEndpoint> PullEndpoints(string registry)
    {
        var list = new List<RegistryEndpoint>();
        if (registry == Reference.DefaultDomain)
        {
            list.AddRange(Settings.Mirrors.Select(m => new RegistryEndpoint(registry, new Uri(m.GetLeftPart(UriPartial.Authority)), Settings.IsInsecure(m.Authority), IsMirror: true, SchemeFixed: true)));
        }

        list.Add(PushEndpoint(registry));
        return list;
    }

    /// <summary>The registry itself (pushes never go to mirrors).</summary>
    public RegistryEndpoint PushEndpoint(string registry)
    {
        ArgumentException.ThrowIfNullOrEmpty(registry);
        return registry == Reference.DefaultDomain
            ? new RegistryEndpoint(registry, DockerHub.Endpoint, false)
            : new RegistryEndpoint(registry, new Uri("https://" + registry), Settings.IsInsecure(registry));
    }

    /// <summary>
    /// Connects to <paramref name="endpoint"/> and pings it (learning its auth challenge). An insecure registry that
    /// does not speak TLS is retried over plain HTTP.
    /// </summary>
    public async Task<RegistryClient> ConnectAsync(RegistryEndpoint endpoint, ICredentialProvider? credentials = null, bool verifyCredentials = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var client = Create(endpoint, credentials);
        var probe = endpoint.Insecure && !endpoint.SchemeFixed && endpoint.BaseUri.Scheme == Uri.UriSchemeHttps;
        try
        {
            await client.Ping.PingAsync(verifyCredentials, retry: !probe, cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch (StrataException e) when (probe && e.Code is DistributionErrors.RegistryUnreachable or DistributionErrors.TlsUntrusted)
        {
            client.Dispose();
        }
        catch
        {
            client.Dispose();
            throw;
        }

        var http = endpoint with { BaseUri = new UriBuilder(endpoint.BaseUri) { Scheme = Uri.UriSchemeHttp, Port = endpoint.BaseUri.IsDefaultPort ? -1 : endpoint.BaseUri.Port }.Uri };
        var plain = Create(http, credentials);
        try
        {
            await plain.Ping.PingAsync(verifyCredentials, cancellationToken: cancellationToken).ConfigureAwait(false);
            return plain;
        }
        catch
        {
            plain.Dispose();
            throw;
        }
    }

    /// <summary>A client without the initial ping (tests, or callers that ping themselves).</summary>
    public RegistryClient Create(RegistryEndpoint endpoint, ICredentialProvider? credentials = null) =>
        new(RegistryConnection.Create(endpoint, credentials ?? Credentials, _trust, Settings, Retry));
}
