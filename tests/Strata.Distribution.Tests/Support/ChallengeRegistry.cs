using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Strata.Distribution.Tests.Support;

/// <summary>
/// A fake registry on 127.0.0.1 (plain HTTP) that answers every <c>/v2/</c> request with 401 and a fixed
/// <c>WWW-Authenticate</c> challenge, and records the requests and their Authorization headers: for testing what a
/// client does with a challenge it should not follow.
/// </summary>
public sealed class ChallengeRegistry : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ChallengeRegistry(WebApplication app)
    {
        _app = app;
    }

    public string Host { get; private set; } = string.Empty;

    /// <summary>Every request: path and the Authorization header it carried (null when none).</summary>
    public ConcurrentQueue<(string Path, string? Authorization)> Requests { get; } = new();

    public static async Task<ChallengeRegistry> StartAsync(string challenge)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        var registry = new ChallengeRegistry(app);
        app.Run(ctx =>
        {
            var auth = ctx.Request.Headers.Authorization.ToString();
            registry.Requests.Enqueue((ctx.Request.Path.ToString(), auth.Length == 0 ? null : auth));
            ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
            ctx.Response.Headers["Docker-Distribution-API-Version"] = "registry/2.0";
            ctx.Response.Headers.WWWAuthenticate = challenge;
            ctx.Response.ContentType = "application/json";
            return ctx.Response.WriteAsync("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
        });
        await app.StartAsync();
        registry.Host = new Uri(app.Urls.First()).Authority;
        return registry;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
