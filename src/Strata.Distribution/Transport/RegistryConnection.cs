using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using Strata.Distribution.Auth;
using Strata.Distribution.Credentials;
using Strata.Distribution.Protocol;
using Strata.Distribution.Settings;
using Strata.Oci;

namespace Strata.Distribution.Transport;

/// <summary>
/// HTTP to one registry endpoint: an <see cref="HttpClient"/> over an <see cref="AuthenticationHandler"/>, with
/// TLS trust from <see cref="TlsTrust"/>, no automatic redirects (blob redirects are followed by hand so the
/// registry's credentials never reach another host), and transport failures turned into clear errors.
/// </summary>
public sealed class RegistryConnection : IDisposable
{
    private static readonly ProductInfoHeaderValue UserAgent = new("strata", "0.1");

    /// <summary>Small requests (manifests, HEADs, upload bookkeeping) that take longer than this have hung.</summary>
    private static readonly TimeSpan SmallRequestTimeout = TimeSpan.FromMinutes(2);

    private readonly HttpClient _http;

    private RegistryConnection(RegistryEndpoint endpoint, HttpClient http, AuthenticationHandler auth, RetryPolicy retry)
    {
        Endpoint = endpoint;
        _http = http;
        Auth = auth;
        Retry = retry;
    }

    public RegistryEndpoint Endpoint { get; }

    public AuthenticationHandler Auth { get; }

    public RetryPolicy Retry { get; }

    /// <summary>The registry name used in messages (<c>docker.io</c>, <c>localhost:5000</c>).</summary>
    public string Name => Endpoint.IsMirror ? Endpoint.BaseUri.Authority : Endpoint.Registry;

    public static RegistryConnection Create(RegistryEndpoint endpoint, ICredentialProvider credentials, TlsTrust trust, RegistrySettings settings, RetryPolicy retry, int maxConnections = 16)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentNullException.ThrowIfNull(settings);
        var inner = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            MaxConnectionsPerServer = maxConnections,
            CheckCertificateRevocationList = false,
            ServerCertificateCustomValidationCallback = (request, cert, chain, errors) =>
                trust.Validate(request.RequestUri?.Authority ?? string.Empty, cert, chain, errors),
        };
        var clientCerts = trust.ClientCertificatesFor(endpoint.BaseUri.Authority);
        if (clientCerts.Count > 0)
        {
            inner.ClientCertificateOptions = ClientCertificateOption.Manual;
            inner.ClientCertificates.AddRange(clientCerts);
        }

        var auth = new AuthenticationHandler(
            endpoint.CredentialName,
            endpoint.BaseUri.Authority,
            credentials,
            uri => settings.IsInsecure(uri.Authority) || (endpoint.Insecure && uri.Authority == endpoint.BaseUri.Authority),
            inner);
        var http = new HttpClient(auth, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.Add(UserAgent);
        return new RegistryConnection(endpoint, http, auth, retry);
    }

    public Uri Url(string pathAndQuery) => new(Endpoint.BaseUri, pathAndQuery);

    /// <summary>Sends one request. Transport failures become Unavailable (REGISTRY_UNREACHABLE) or TLS_UNTRUSTED errors.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.InnerException is AuthenticationException)
        {
            var authority = request.RequestUri?.Authority ?? Name;
            throw new StrataException(
                ErrorKind.FailedPrecondition,
                DistributionErrors.TlsUntrusted,
                $"{request.Method} {request.RequestUri}: tls: failed to verify certificate of {authority} ({e.InnerException.Message}); put its CA in certs.d/{authority}/ca.crt or list it in insecure-registries",
                e);
        }
        catch (HttpRequestException e)
        {
            throw StrataException.Unavailable(DistributionErrors.RegistryUnreachable, $"{request.Method} {request.RequestUri}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Sends the request <paramref name="make"/> builds (a fresh one per attempt), retrying transient failures,
    /// and returns the response when its status is one of <paramref name="ok"/>; otherwise throws the registry's error.
    /// </summary>
    public Task<HttpResponseMessage> SendCheckedAsync(Func<HttpRequestMessage> make, CancellationToken cancellationToken, params HttpStatusCode[] ok) =>
        SendCheckedAsync(Retry, make, cancellationToken, ok);

    /// <summary>As the other overload, with an explicit retry policy.</summary>
    public Task<HttpResponseMessage> SendCheckedAsync(RetryPolicy retry, Func<HttpRequestMessage> make, CancellationToken cancellationToken, params HttpStatusCode[] ok) =>
        retry.RunAsync(async (_, ct) =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(SmallRequestTimeout);
            using var request = make();
            HttpResponseMessage response;
            try
            {
                response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"{request.Method} {request.RequestUri}: no answer in {SmallRequestTimeout.TotalSeconds:0} s", e);
            }

            if (ok.Contains(response.StatusCode))
            {
                return response;
            }

            using (response)
            {
                throw await RegistryErrors.FromResponseAsync(response, Name, ct).ConfigureAwait(false);
            }
        }, null, cancellationToken);

    /// <summary>A request carrying the token scopes it needs.</summary>
    public static HttpRequestMessage Request(HttpMethod method, Uri uri, IReadOnlyList<string> scopes)
    {
        var r = new HttpRequestMessage(method, uri);
        r.Options.Set(RegistryScope.Key, scopes);
        return r;
    }

    /// <summary>The <c>Location</c> of a response, resolved against the request URI (registries often send relative ones).</summary>
    public static Uri Location(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var location = response.Headers.Location
            ?? throw StrataException.Unavailable("REGISTRY_PROTOCOL", $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} without a Location header");
        return location.IsAbsoluteUri ? location : new Uri(response.RequestMessage!.RequestUri!, location);
    }

    public void Dispose() => _http.Dispose();
}
