using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Strata.Distribution.Credentials;
using Strata.Distribution.Protocol;
using Strata.Oci;

namespace Strata.Distribution.Auth;

/// <summary>
/// Authenticates requests to one registry (distribution docs, token.md; RFC 7235), as an HttpClient
/// <see cref="DelegatingHandler"/>: learns the registry's challenge from a 401, then attaches Basic
/// credentials or a Bearer token for the scopes each request carries (<see cref="RegistryScope.Key"/>),
/// fetching, caching and refreshing tokens. The token realm is validated before any credential is looked
/// up or sent, and requests to other hosts (blob redirects to a CDN) never get the registry's credentials.
/// </summary>
public sealed class AuthenticationHandler : DelegatingHandler
{
    /// <summary>A request with this option only teaches the handler the challenge (the ping); it is not retried with credentials.</summary>
    public static readonly HttpRequestOptionsKey<bool> ChallengeOnlyKey = new("strata.registry.challenge-only");

    /// <summary>Tokens are renewed this long before they expire, so a request never carries one that dies in flight.</summary>
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(10);

    /// <summary>Token services that give no lifetime mean 60 seconds (token.md, "expires_in").</summary>
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(60);

    private readonly string _registry;
    private readonly string _authority;
    private readonly ICredentialProvider _credentials;
    private readonly Func<Uri, bool> _insecureAllowed;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, CachedToken> _tokens = new(StringComparer.Ordinal);
    private AuthChallenge? _challenge;
    private RegistryCredential? _credential;
    private bool _credentialLoaded;

    /// <param name="registry">The registry name credentials are stored under (<c>docker.io</c>, <c>host:port</c>).</param>
    /// <param name="authority">The <c>host:port</c> requests to this registry go to; only those are authenticated.</param>
    /// <param name="credentials">Where logins come from.</param>
    /// <param name="insecureAllowed">Whether a URI may get credentials over plain HTTP (insecure registries only).</param>
    public AuthenticationHandler(string registry, string authority, ICredentialProvider credentials, Func<Uri, bool> insecureAllowed, HttpMessageHandler inner)
        : base(inner)
    {
        _registry = registry;
        _authority = authority;
        _credentials = credentials;
        _insecureAllowed = insecureAllowed;
    }

    /// <summary>The scheme the registry asked for last (<c>Bearer</c>, <c>Basic</c>), null before any challenge.</summary>
    public string? Scheme => _challenge?.Scheme;

    /// <summary>Number of token requests sent (tests check caching with it).</summary>
    public int TokenRequests { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RequestUri is null || !string.Equals(request.RequestUri.Authority, _authority, StringComparison.OrdinalIgnoreCase))
        {
            // Not the registry (a redirect target, a token realm): never attach its credentials.
            request.Headers.Authorization = null;
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var scopes = request.Options.TryGetValue(RegistryScope.Key, out var s) ? s : [];
        var challengeOnly = request.Options.TryGetValue(ChallengeOnlyKey, out var co) && co;
        var sent = challengeOnly ? null : await HeaderAsync(scopes, null, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = sent;
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        var challenge = AuthChallenge.FromResponse(response).FirstOrDefault(c => c.IsBearer || c.IsBasic);
        if (challenge is null)
        {
            return response;
        }

        _challenge = challenge;
        if (challengeOnly)
        {
            return response;
        }

        // The server may ask for more than we knew to ask (a mount's source repository): ask for both.
        var wanted = RegistryScope.Merge(scopes.Concat(challenge.Scopes));
        var retry = await HeaderAsync(wanted, sent, cancellationToken).ConfigureAwait(false);
        if (retry is null || (sent is not null && retry.Equals(sent)) || !Resendable(request))
        {
            return response;
        }

        if (!wanted.SequenceEqual(scopes))
        {
            await StoreAliasAsync(scopes, wanted, cancellationToken).ConfigureAwait(false);
        }

        response.Dispose();
        request.Headers.Authorization = retry;
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The Authorization header for <paramref name="scopes"/>, or null when none can be made (no challenge
    /// yet, or anonymous and the scheme is Basic). <paramref name="rejected"/> is a header the registry just
    /// refused: a cached token equal to it is fetched anew.
    /// </summary>
    private async Task<AuthenticationHeaderValue?> HeaderAsync(IReadOnlyList<string> scopes, AuthenticationHeaderValue? rejected, CancellationToken cancellationToken)
    {
        var challenge = _challenge;
        if (challenge is null)
        {
            return null;
        }

        if (challenge.IsBasic)
        {
            var cred = await CredentialAsync(cancellationToken).ConfigureAwait(false);
            if (cred is null || cred.HasIdentityToken)
            {
                return null;
            }

            return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{cred.Username}:{cred.Password}")));
        }

        var key = string.Join(' ', scopes);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_tokens.TryGetValue(key, out var cached) && cached.ExpiresAt - ExpiryMargin > DateTimeOffset.UtcNow
                && (rejected is null || rejected.Parameter != cached.Token))
            {
                return new AuthenticationHeaderValue("Bearer", cached.Token);
            }

            var token = await FetchTokenAsync(challenge, scopes, cancellationToken).ConfigureAwait(false);
            _tokens[key] = token;
            return new AuthenticationHeaderValue("Bearer", token.Token);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task StoreAliasAsync(IReadOnlyList<string> scopes, IReadOnlyList<string> wanted, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_tokens.TryGetValue(string.Join(' ', wanted), out var t))
            {
                _tokens[string.Join(' ', scopes)] = t;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Gets a token from the challenge's realm (token.md GET with Basic, or oauth.md POST with a refresh token).</summary>
    private async Task<CachedToken> FetchTokenAsync(AuthChallenge challenge, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        var realm = ValidateRealm(challenge);
        var cred = await CredentialAsync(cancellationToken).ConfigureAwait(false);
        using var request = cred is { HasIdentityToken: true }
            ? OAuthRequest(realm, challenge.Service, scopes, cred.IdentityToken!)
            : BasicTokenRequest(realm, challenge.Service, scopes, cred);
        TokenRequests++;
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw StrataException.Unavailable("TOKEN_SERVICE_UNREACHABLE", $"cannot reach token service {realm.GetLeftPart(UriPartial.Path)}: {e.Message}", e);
        }

        using (response)
        {
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                var detail = cred is null ? "authentication required" : "incorrect username or password";
                throw new RegistryException(ErrorKind.Unauthenticated, "UNAUTHORIZED", $"unauthorized: {detail}; run strata login {_registry}", response.StatusCode);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw await RegistryErrors.FromResponseAsync(response, realm.Authority, cancellationToken).ConfigureAwait(false);
            }

            TokenResponse? parsed;
            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                parsed = await JsonSerializer.DeserializeAsync(body, DistributionJsonContext.Default.TokenResponse, cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException e)
            {
                throw StrataException.Unavailable("TOKEN_INVALID", $"token service {realm.Authority} answered invalid JSON: {e.Message}", e);
            }

            var token = parsed?.Token is { Length: > 0 } t ? t : parsed?.AccessToken;
            if (string.IsNullOrEmpty(token))
            {
                throw StrataException.Unavailable("TOKEN_INVALID", $"token service {realm.Authority} answered without a token");
            }

            var lifetime = parsed!.ExpiresIn is > 0 and var secs ? TimeSpan.FromSeconds(secs) : DefaultLifetime;
            var issued = parsed.IssuedAt ?? DateTimeOffset.UtcNow;
            if (issued > DateTimeOffset.UtcNow + TimeSpan.FromMinutes(5) || issued < DateTimeOffset.UtcNow - lifetime)
            {
                issued = DateTimeOffset.UtcNow; // a token service with a skewed clock
            }

            return new CachedToken(token, issued + lifetime);
        }
    }

    /// <summary>
    /// A realm must be an absolute http(s) URL, and plain HTTP only to a host allowed to be insecure:
    /// otherwise a registry could make us send a password in clear text or to a non-URL.
    /// </summary>
    private Uri ValidateRealm(AuthChallenge challenge)
    {
        if (string.IsNullOrEmpty(challenge.Realm)
            || !Uri.TryCreate(challenge.Realm, UriKind.Absolute, out var realm)
            || (realm.Scheme != Uri.UriSchemeHttps && realm.Scheme != Uri.UriSchemeHttp))
        {
            throw new StrataException(ErrorKind.Unauthenticated, "AUTH_REALM_INVALID", $"registry {_registry} sent an invalid token realm \"{challenge.Realm}\"");
        }

        if (realm.Scheme == Uri.UriSchemeHttp && !_insecureAllowed(realm))
        {
            throw new StrataException(ErrorKind.Unauthenticated, "AUTH_REALM_INSECURE", $"registry {_registry} asks for credentials over plain HTTP at {realm.GetLeftPart(UriPartial.Path)}; list {realm.Authority} in insecure-registries to allow it");
        }

        return realm;
    }

    private static HttpRequestMessage BasicTokenRequest(Uri realm, string? service, IReadOnlyList<string> scopes, RegistryCredential? cred)
    {
        var query = new List<string>();
        if (!string.IsNullOrEmpty(service))
        {
            query.Add("service=" + Uri.EscapeDataString(service));
        }

        query.AddRange(scopes.Select(s => "scope=" + Uri.EscapeDataString(s)));
        if (cred is not null && !string.IsNullOrEmpty(cred.Username))
        {
            query.Add("account=" + Uri.EscapeDataString(cred.Username));
        }

        var b = new UriBuilder(realm);
        var existing = b.Query.TrimStart('?');
        b.Query = string.Join('&', new[] { existing }.Where(q => q.Length > 0).Concat(query));
        var request = new HttpRequestMessage(HttpMethod.Get, b.Uri);
        if (cred is not null && !cred.HasIdentityToken)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{cred.Username}:{cred.Password}")));
        }

        return request;
    }

    private static HttpRequestMessage OAuthRequest(Uri realm, string? service, IReadOnlyList<string> scopes, string refreshToken)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "refresh_token"),
            new("refresh_token", refreshToken),
            new("client_id", "strata"),
        };
        if (!string.IsNullOrEmpty(service))
        {
            form.Add(new("service", service));
        }

        if (scopes.Count > 0)
        {
            form.Add(new("scope", string.Join(' ', scopes)));
        }

        return new HttpRequestMessage(HttpMethod.Post, realm) { Content = new FormUrlEncodedContent(form) };
    }

    private async Task<RegistryCredential?> CredentialAsync(CancellationToken cancellationToken)
    {
        if (!_credentialLoaded)
        {
            _credential = await _credentials.GetAsync(_registry, cancellationToken).ConfigureAwait(false);
            _credentialLoaded = true;
        }

        return _credential;
    }

    /// <summary>A request whose body can be sent again: none, or buffered content.</summary>
    private static bool Resendable(HttpRequestMessage request) =>
        request.Content is null or ByteArrayContent or ReadOnlyMemoryContent
        || (request.Content is StreamContent && request.Options.TryGetValue(ResendableKey, out var r) && r);

    /// <summary>Set by callers whose <see cref="StreamContent"/> wraps a seekable stream that can be sent again.</summary>
    public static readonly HttpRequestOptionsKey<bool> ResendableKey = new("strata.registry.resendable");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gate.Dispose();
        }

        base.Dispose(disposing);
    }

    private sealed record CachedToken(string Token, DateTimeOffset ExpiresAt);
}
