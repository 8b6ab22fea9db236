using Microsoft.AspNetCore.Http;
using Strata.Oci;

namespace Strata.Registry.Ui;

/// <summary>The admin and maintenance endpoints under <c>/ui/api/admin/</c> and the usage endpoint.</summary>
internal sealed class RegistryUiAdminHandlers(IRegistryUiAdmin admin, IRegistryUiData data, UiSessionSigner signer)
{
    public Task UsersAsync(HttpContext ctx) => AdminAsync(ctx, false, async () =>
        await ctx.Response.WriteAsJsonAsync(await admin.ListUsersAsync(ctx.RequestAborted).ConfigureAwait(false), UiJsonContext.Default.IReadOnlyListUiUserInfo, cancellationToken: ctx.RequestAborted).ConfigureAwait(false));

    public Task AddUserAsync(HttpContext ctx) => AdminAsync(ctx, true, async () =>
    {
        var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted).ConfigureAwait(false);
        var groups = form["groups"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        await admin.AddUserAsync(form["name"].ToString(), form["password"].ToString(), form["admin"].ToString() is "on" or "true", groups, ctx.RequestAborted).ConfigureAwait(false);
        ctx.Response.StatusCode = 201;
    });

    public Task PasswordAsync(HttpContext ctx) => AdminAsync(ctx, true, async () =>
    {
        var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted).ConfigureAwait(false);
        await admin.SetPasswordAsync(form["name"].ToString(), form["password"].ToString(), ctx.RequestAborted).ConfigureAwait(false);
        ctx.Response.StatusCode = 204;
    });

    public Task RemoveUserAsync(HttpContext ctx) => AdminAsync(ctx, true, async () =>
    {
        await admin.RemoveUserAsync(ctx.Request.Query["name"].ToString(), ctx.RequestAborted).ConfigureAwait(false);
        ctx.Response.StatusCode = 204;
    });

    public Task RulesAsync(HttpContext ctx) => AdminAsync(ctx, false, async () =>
        await ctx.Response.WriteAsJsonAsync(await admin.ListRulesAsync(ctx.RequestAborted).ConfigureAwait(false), UiJsonContext.Default.IReadOnlyListUiRule, cancellationToken: ctx.RequestAborted).ConfigureAwait(false));

    public Task GrantAsync(HttpContext ctx) => AdminAsync(ctx, true, async () =>
    {
        var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted).ConfigureAwait(false);
        var actions = form["actions"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        await admin.GrantAsync(form["subject"].ToString(), form["pattern"].ToString(), actions, ctx.RequestAborted).ConfigureAwait(false);
        ctx.Response.StatusCode = 201;
    });

    public Task RevokeAsync(HttpContext ctx) => AdminAsync(ctx, true, async () =>
    {
        await admin.RevokeAsync(ctx.Request.Query["subject"].ToString(), ctx.Request.Query["pattern"].ToString(), ctx.RequestAborted).ConfigureAwait(false);
        ctx.Response.StatusCode = 204;
    });

    public Task GcAsync(HttpContext ctx) => AdminAsync(ctx, true, async () =>
    {
        var dryRun = ctx.Request.Query["dryRun"].ToString() != "false";
        var report = await admin.CollectGarbageAsync(dryRun, ctx.RequestAborted).ConfigureAwait(false);
        await ctx.Response.WriteAsJsonAsync(report, UiJsonContext.Default.UiGcReport, cancellationToken: ctx.RequestAborted).ConfigureAwait(false);
    });

    public Task AllUsageAsync(HttpContext ctx) => AdminAsync(ctx, false, async () =>
        await ctx.Response.WriteAsJsonAsync(await admin.UsageAsync(null, ctx.RequestAborted).ConfigureAwait(false), UiJsonContext.Default.IReadOnlyListUiUsage, cancellationToken: ctx.RequestAborted).ConfigureAwait(false));

    /// <summary>One repository's usage for anyone who may pull it.</summary>
    public async Task UsageAsync(HttpContext ctx)
    {
        var user = signer.Validate(ctx.Request.Cookies[RegistryUiEndpoints.CookieName]);
        var repo = ctx.Request.Query["repo"].ToString();
        if (user is null && !data.AllowsAnonymousPull)
        {
            await RegistryUiEndpoints.WriteErrorAsync(ctx, 401, "UNAUTHORIZED", "sign in first").ConfigureAwait(false);
            return;
        }

        if (repo.Length == 0 || !data.IsAllowed(user, repo, UiAction.Pull))
        {
            await RegistryUiEndpoints.WriteErrorAsync(ctx, 403, "DENIED", "requested access to the resource is denied").ConfigureAwait(false);
            return;
        }

        var usage = await admin.UsageAsync(repo, ctx.RequestAborted).ConfigureAwait(false);
        await ctx.Response.WriteAsJsonAsync(usage.FirstOrDefault() ?? new UiUsage(repo, 0, null), UiJsonContext.Default.UiUsage, cancellationToken: ctx.RequestAborted).ConfigureAwait(false);
    }

    private async Task AdminAsync(HttpContext ctx, bool changes, Func<Task> action)
    {
        var cookie = ctx.Request.Cookies[RegistryUiEndpoints.CookieName];
        var user = signer.Validate(cookie);
        if (user is null)
        {
            await RegistryUiEndpoints.WriteErrorAsync(ctx, 401, "UNAUTHORIZED", "sign in first").ConfigureAwait(false);
            return;
        }

        if (!await admin.IsAdminAsync(user.Name, ctx.RequestAborted).ConfigureAwait(false))
        {
            await RegistryUiEndpoints.WriteErrorAsync(ctx, 403, "DENIED", "administrators only").ConfigureAwait(false);
            return;
        }

        if (changes && !signer.ValidateCsrf(cookie, ctx.Request.Headers[RegistryUiEndpoints.CsrfHeader]))
        {
            await RegistryUiEndpoints.WriteErrorAsync(ctx, 403, "CSRF", "missing or invalid CSRF token").ConfigureAwait(false);
            return;
        }

        if (changes && (HttpMethods.IsPost(ctx.Request.Method) && ctx.Request.ContentLength > 0 && !ctx.Request.HasFormContentType))
        {
            await RegistryUiEndpoints.WriteErrorAsync(ctx, 400, "BAD_REQUEST", "expected a form").ConfigureAwait(false);
            return;
        }

        try
        {
            await action().ConfigureAwait(false);
        }
        catch (StrataException e)
        {
            var status = e.Kind switch
            {
                ErrorKind.NotFound => 404,
                ErrorKind.AlreadyExists or ErrorKind.Conflict => 409,
                _ => 400,
            };
            await RegistryUiEndpoints.WriteErrorAsync(ctx, status, e.Code, e.Message).ConfigureAwait(false);
        }
    }
}
