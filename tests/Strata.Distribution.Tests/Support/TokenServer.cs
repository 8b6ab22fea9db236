using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Strata.Distribution.Tests.Support;

/// <summary>
/// A small token service (distribution docs, token.md) for a registry configured with <c>auth: token</c>: issues
/// ES256 JWTs carrying an <c>x5c</c> certificate that the registry trusts through its <c>rootcertbundle</c>.
/// Anonymous callers get pull on <c>public/*</c>; the one user gets whatever they ask for; an identity (refresh)
/// token works through the OAuth2 POST flow.
/// </summary>
public sealed class TokenServer : IAsyncDisposable
{
    public const string Service = "strata-test-registry";
    public const string Issuer = "strata-test-issuer";
    public const string RefreshToken = "strata-refresh-token";

    private readonly WebApplication _app;
    private readonly ECDsa _key;
    private readonly X509Certificate2 _cert;
    private readonly string _user;
    private readonly string _password;

    private TokenServer(WebApplication app, ECDsa key, X509Certificate2 cert, string rootCertPath, string user, string password)
    {
        _app = app;
        _key = key;
        _cert = cert;
        RootCertPath = rootCertPath;
        _user = user;
        _password = password;
    }

    public string Realm { get; private set; } = string.Empty;

    public string RootCertPath { get; }

    /// <summary>Lifetime of issued tokens, in seconds.</summary>
    public int ExpiresIn { get; set; } = 300;

    /// <summary>Every token request: account (or null), scopes, and whether it authenticated.</summary>
    public ConcurrentQueue<(string? Account, string[] Scopes, bool Authenticated, string Method)> Requests { get; } = new();

    public static async Task<TokenServer> StartAsync(string dir, string user, string password)
    {
        Directory.CreateDirectory(dir);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest("CN=strata token signer", key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, true));
        var cert = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var root = Path.Combine(dir, "token-root.crt");
        await File.WriteAllTextAsync(root, cert.ExportCertificatePem());

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        var server = new TokenServer(app, key, cert, root, user, password);
        app.MapGet("/token", (HttpContext ctx) => server.Issue(ctx, ctx.Request.Query["scope"].Select(s => s ?? string.Empty).ToArray(), "GET"));
        app.MapPost("/token", async (HttpContext ctx) =>
        {
            var form = await ctx.Request.ReadFormAsync();
            if (form["grant_type"] != "refresh_token" || form["refresh_token"] != RefreshToken)
            {
                return Results.Unauthorized();
            }

            var scopes = (form["scope"].ToString() ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            server.Requests.Enqueue((user, scopes, true, "POST"));
            return Results.Json(new Dictionary<string, object> { ["access_token"] = server.Jwt(user, scopes, true), ["expires_in"] = server.ExpiresIn });
        });
        await app.StartAsync();
        server.Realm = app.Urls.First().TrimEnd('/') + "/token";
        return server;
    }

    private IResult Issue(HttpContext ctx, string[] scopes, string method)
    {
        string? account = null;
        var authed = false;
        var header = ctx.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..]));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (decoded[..colon] != _user || decoded[(colon + 1)..] != _password)
            {
                Requests.Enqueue((decoded[..colon], scopes, false, method));
                return Results.Unauthorized();
            }

            account = _user;
            authed = true;
        }

        Requests.Enqueue((account, scopes, authed, method));
        return Results.Json(new Dictionary<string, object>
        {
            ["token"] = Jwt(account ?? string.Empty, scopes, authed),
            ["expires_in"] = ExpiresIn,
            ["issued_at"] = DateTimeOffset.UtcNow.ToString("O"),
        });
    }

    private string Jwt(string subject, string[] scopes, bool authenticated)
    {
        var access = new List<Dictionary<string, object>>();
        foreach (var scope in scopes)
        {
            var parts = scope.Split(':');
            if (parts.Length != 3)
            {
                continue;
            }

            var actions = parts[2].Split(',');
            if (!authenticated)
            {
                actions = parts[1].StartsWith("public/", StringComparison.Ordinal) ? actions.Where(a => a == "pull").ToArray() : [];
            }

            access.Add(new Dictionary<string, object> { ["type"] = parts[0], ["name"] = parts[1], ["actions"] = actions });
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["typ"] = "JWT",
            ["alg"] = "ES256",
            ["x5c"] = new[] { Convert.ToBase64String(_cert.RawData) },
        });
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iss"] = Issuer,
            ["sub"] = subject,
            ["aud"] = Service,
            ["exp"] = now + ExpiresIn,
            ["nbf"] = now - 10,
            ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = access,
        });
        var signingInput = B64(header) + "." + B64(payload);
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return signingInput + "." + B64(signature);
    }

    private static string B64(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _key.Dispose();
        _cert.Dispose();
    }
}
