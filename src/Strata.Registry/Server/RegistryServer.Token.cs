using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Strata.Registry.Api;
using Strata.Registry.Auth;

namespace Strata.Registry.Server;

/// <summary>
/// The token endpoint of docker's Bearer flow: <c>GET /token?service=..&amp;scope=repository:NAME:pull,push</c>
/// with optional Basic credentials (anonymous tokens carry only what anonymous users may do), and
/// the OAuth2 password grant (<c>POST /token</c>). Requested actions are cut down to those the
/// access rules grant, as docker's token servers do; only wrong credentials are an error.
/// </summary>
public sealed partial class RegistryServer
{
    private async Task TokenAsync(HttpContext ctx)
    {
        var ct = ctx.RequestAborted;
        var tokens = Auth.Tokens;
        if (tokens is null)
        {
            ctx.Response.StatusCode = 404;
            return;
        }

        await Auth.Policy.RefreshAsync(ct).ConfigureAwait(false);
        var scopes = new List<string>();
        Principal? principal = null;
        string? user = null, password = null;
        if (HttpMethods.IsPost(ctx.Request.Method) && ctx.Request.HasFormContentType)
        {
            var form = await ctx.Request.ReadFormAsync(ct).ConfigureAwait(false);
            var grant = form["grant_type"].ToString();
            if (grant != "password")
            {
                await TokenErrorAsync(ctx, 400, DistributionErrorCodes.Unsupported, $"unsupported grant_type {grant}").ConfigureAwait(false);
                return;
            }

            user = form["username"].ToString();
            password = form["password"].ToString();
            scopes.AddRange(form["scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
        else
        {
            foreach (var s in ctx.Request.Query["scope"])
            {
                scopes.AddRange((s ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries));
            }

            var header = ctx.Request.Headers.Authorization.ToString();
            if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
            {
                try
                {
                    (user, password) = Authenticator.ParseBasic(header[6..].Trim());
                }
                catch (RegistryApiException e)
                {
                    await TokenErrorAsync(ctx, 401, DistributionErrorCodes.Unauthorized, e.Message).ConfigureAwait(false);
                    return;
                }
            }
        }

        if (user is not null)
        {
            principal = Auth.Verify(user, password ?? string.Empty);
            if (principal is null)
            {
                await TokenErrorAsync(ctx, 401, DistributionErrorCodes.Unauthorized, "invalid username or password").ConfigureAwait(false);
                return;
            }
        }

        var access = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var scope in scopes)
        {
            var first = scope.IndexOf(':', StringComparison.Ordinal);
            var last = scope.LastIndexOf(':');
            if (first < 0 || last <= first)
            {
                continue;
            }

            var type = scope[..first];
            var name = scope[(first + 1)..last];
            var actions = scope[(last + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries);
            if (type == "registry" && name == "catalog")
            {
                access["catalog"] = ["*"];
            }
            else if (type == "repository" && RegistryRouteParser.IsValidName(name))
            {
                var allowed = Auth.Policy.GrantedByRules(principal, name);
                var wanted = actions.Contains("*") ? RegistryAction.All : actions;
                var granted = wanted.Where(allowed.Contains).Distinct().ToList();
                if (access.TryGetValue(name, out var before))
                {
                    granted = [.. before.Union(granted)];
                }

                access[name] = granted;
            }
        }

        var token = tokens.Issue(principal?.Name ?? string.Empty, access, out var issuedAt);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("token", token);
            w.WriteString("access_token", token);
            w.WriteNumber("expires_in", (int)tokens.Lifetime.TotalSeconds);
            w.WriteString("issued_at", issuedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            w.WriteEndObject();
        }

        ctx.Response.ContentType = "application/json";
        ctx.Response.Headers.CacheControl = "no-store";
        await ctx.Response.Body.WriteAsync(buffer.WrittenMemory, ct).ConfigureAwait(false);
    }

    private static async Task TokenErrorAsync(HttpContext ctx, int status, string code, string message)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("errors");
            w.WriteStartObject();
            w.WriteString("code", code);
            w.WriteString("message", message);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }

        await ctx.Response.Body.WriteAsync(buffer.WrittenMemory, ctx.RequestAborted).ConfigureAwait(false);
    }
}
