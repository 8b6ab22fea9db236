using System.Net;
using Strata.Distribution.Auth;
using Strata.Distribution.Transport;
using Strata.Oci;

namespace Strata.Distribution.Protocol;

/// <summary><c>GET /v2/</c> (distribution-spec "Determining support"): is this a registry, and how does it authenticate.</summary>
public sealed class PingApi
{
    private readonly RegistryConnection _c;

    public PingApi(RegistryConnection connection) => _c = connection;

    /// <summary>
    /// Pings the registry. With <paramref name="verifyCredentials"/> the request is authenticated as far as the
    /// stored or given credentials allow (login), and a refusal throws Unauthenticated; without, a 401 only
    /// teaches the auth handler the challenge. Without <paramref name="retry"/> a failure is reported at once (scheme probing).
    /// </summary>
    public async Task<PingResult> PingAsync(bool verifyCredentials, bool retry = true, CancellationToken cancellationToken = default)
    {
        using var response = await _c.SendCheckedAsync(retry ? _c.Retry : RetryPolicy.None, () =>
        {
            var r = RegistryConnection.Request(HttpMethod.Get, _c.Url("/v2/"), []);
            r.Options.Set(AuthenticationHandler.ChallengeOnlyKey, !verifyCredentials);
            return r;
        }, cancellationToken, HttpStatusCode.OK, HttpStatusCode.Unauthorized, HttpStatusCode.NotFound).ConfigureAwait(false);
        var version = response.Headers.TryGetValues("Docker-Distribution-API-Version", out var v) ? v.FirstOrDefault() : null;
        switch (response.StatusCode)
        {
            case HttpStatusCode.NotFound:
                throw StrataException.Unavailable("REGISTRY_PROTOCOL", $"{_c.Endpoint.BaseUri.GetLeftPart(UriPartial.Authority)} does not speak the registry API (GET /v2/ answered 404)");
            case HttpStatusCode.Unauthorized when verifyCredentials:
                throw await RegistryErrors.FromResponseAsync(response, _c.Name, cancellationToken).ConfigureAwait(false);
            default:
                return new PingResult(response.StatusCode == HttpStatusCode.OK, _c.Auth.Scheme, version);
        }
    }
}
