using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Strata.Registry.Ui;

/// <summary>
/// Maps the web UI under <c>/ui/</c>: embedded static pages plus the JSON endpoints they call under
/// <c>/ui/api/</c>. Every endpoint checks the registry's own access rules through
/// <see cref="IRegistryUiData"/>; state-changing requests need the session's CSRF token.
/// Hook (server startup): <c>app.MapRegistryUi(uiData);</c>
/// </summary>
public static class RegistryUiEndpoints
{
    public const string CookieName = "strata_ui";
    public const string CsrfHeader = "X-CSRF-Token";

    public static IEndpointConventionBuilder MapRegistryUi(this IEndpointRouteBuilder endpoints, IRegistryUiData data, UiSessionSigner? signer = null, IRegistryUiAdmin? admin = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(data);
        signer ??= new UiSessionSigner();
        var ui = new RegistryUiHandlers(data, signer, new WastedBytesAnalyzer());
        var group = endpoints.MapGroup("/ui");
        group.MapGet("/", ui.IndexAsync);
        group.MapGet("/static/{name}", ui.StaticAsync);
        group.MapGet("/api/session", ui.SessionAsync);
        group.MapPost("/api/login", ui.LoginAsync);
        group.MapPost("/api/logout", ui.LogoutAsync);
        group.MapGet("/api/repositories", ui.RepositoriesAsync);
        group.MapGet("/api/tags", ui.TagsAsync);
        group.MapGet("/api/manifest", ui.ManifestAsync);
        group.MapGet("/api/config", ui.ConfigAsync);
        group.MapGet("/api/analysis", ui.AnalysisAsync);
        group.MapGet("/api/referrers", ui.ReferrersAsync);
        group.MapDelete("/api/tag", ui.DeleteTagAsync);
        group.MapDelete("/api/manifest", ui.DeleteManifestAsync);
        if (admin is not null)
        {
            var a = new RegistryUiAdminHandlers(admin, data, signer);
            group.MapGet("/api/usage", a.UsageAsync);
            group.MapGet("/api/admin/users", a.UsersAsync);
            group.MapPost("/api/admin/users", a.AddUserAsync);
            group.MapPost("/api/admin/users/password", a.PasswordAsync);
            group.MapDelete("/api/admin/users", a.RemoveUserAsync);
            group.MapGet("/api/admin/rules", a.RulesAsync);
            group.MapPost("/api/admin/rules", a.GrantAsync);
            group.MapDelete("/api/admin/rules", a.RevokeAsync);
            group.MapPost("/api/admin/gc", a.GcAsync);
            group.MapGet("/api/admin/usage", a.AllUsageAsync);
        }

        return group;
    }

    internal static Task WriteErrorAsync(HttpContext ctx, int status, string code, string message)
    {
        ctx.Response.StatusCode = status;
        return ctx.Response.WriteAsJsonAsync(new UiError(code, message), UiJsonContext.Default.UiError, cancellationToken: ctx.RequestAborted);
    }
}
