using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Strata.Registry.Api;

namespace Strata.Registry.Auth;

/// <summary>
/// Turns a request's Authorization header into a <see cref="Principal"/>: HTTP Basic checked against
/// the users' bcrypt hashes (successful checks cached briefly, since bcrypt is deliberately slow), or
/// a Bearer token from <see cref="TokenService"/>. Wrong credentials are a 401, never anonymous.
/// </summary>
public sealed class Authenticator
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(2);
    private readonly AccessPolicy _policy;
    private readonly ConcurrentDictionary<string, (string User, DateTimeOffset Until)> _verified = new(StringComparer.Ordinal);

    public Authenticator(AccessPolicy policy, TokenService? tokens)
    {
        _policy = policy;
        Tokens = tokens;
    }

    /// <summary>The token service when the registry uses the Bearer flow; null for Basic.</summary>
    public TokenService? Tokens { get; }

    public AccessPolicy Policy => _policy;

    /// <summary>The caller, or null when anonymous; throws 401 for bad credentials.</summary>
    public async Task<Principal?> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        await _policy.RefreshAsync(cancellationToken).ConfigureAwait(false);
        var header = request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return null;
        }

        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            var (user, password) = ParseBasic(header[6..].Trim());
            return Verify(user, password) ?? throw Unauthorized("invalid username or password");
        }

        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            if (Tokens?.Validate(header[7..].Trim()) is not { } claims)
            {
                throw Unauthorized("invalid or expired token");
            }

            var u = claims.Subject.Length == 0 ? null : _policy.FindUser(claims.Subject);
            return new Principal(claims.Subject, u?.Admin ?? false, u?.Groups ?? [], claims.Access);
        }

        throw Unauthorized("unsupported authorization scheme");
    }

    /// <summary>Checks a user name and password; null when wrong.</summary>
    public Principal? Verify(string user, string password)
    {
        var u = _policy.FindUser(user);
        if (u is null)
        {
            return null;
        }

        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(user + "\0" + password + "\0" + u.Hash)));
        var now = DateTimeOffset.UtcNow;
        if (!(_verified.TryGetValue(key, out var hit) && hit.Until > now))
        {
            bool ok;
            try
            {
                ok = BCrypt.Net.BCrypt.Verify(password, u.Hash);
            }
            catch (BCrypt.Net.SaltParseException)
            {
                ok = false;
            }

            if (!ok)
            {
                return null;
            }

            if (_verified.Count > 10_000)
            {
                _verified.Clear();
            }

            _verified[key] = (user, now + CacheFor);
        }

        return new Principal(u.Name, u.Admin, u.Groups);
    }

    public static (string User, string Password) ParseBasic(string encoded)
    {
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
        }
        catch (FormatException)
        {
            throw Unauthorized("malformed Basic credentials");
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? throw Unauthorized("malformed Basic credentials") : (text[..colon], text[(colon + 1)..]);
    }

    /// <summary>The WWW-Authenticate challenge for a request needing <paramref name="scope"/> (null for /v2/).</summary>
    public string Challenge(HttpRequest request, string? scope)
    {
        if (Tokens is null)
        {
            return "Basic realm=\"Strata Registry\"";
        }

        var realm = $"{request.Scheme}://{request.Host}/token";
        var s = $"Bearer realm=\"{realm}\",service=\"{Tokens.Service}\"";
        return scope is null ? s : s + $",scope=\"{scope}\"";
    }

    private static RegistryApiException Unauthorized(string message) => new(401, DistributionErrorCodes.Unauthorized, message);
}
