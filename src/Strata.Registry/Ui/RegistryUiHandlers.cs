using Microsoft.AspNetCore.Http;
using Strata.Oci;

namespace Strata.Registry.Ui;

/// <summary>The request handlers behind <see cref="RegistryUiEndpoints"/>.</summary>
internal sealed class RegistryUiHandlers(IRegistryUiData data, UiSessionSigner signer, WastedBytesAnalyzer analyzer)
{
    private const int MaxPageSize = 200;
    private const long MaxConfigBytes = 4 * 1024 * 1024;

    public async Task IndexAsync(HttpContext ctx) => await ServeAssetAsync(ctx, "index.html").ConfigureAwait(false);

    public async Task StaticAsync(HttpContext ctx) =>
        await ServeAssetAsync(ctx, (string?)ctx.Request.RouteValues["name"] ?? string.Empty).ConfigureAwait(false);

    public Task SessionAsync(HttpContext ctx)
    {
        var cookie = ctx.Request.Cookies[RegistryUiEndpoints.CookieName];
        var user = signer.Validate(cookie);
        var info = new UiSessionInfo(user?.Name, user?.IsAdmin ?? false, data.AllowsAnonymousPull, user is null ? null : signer.CsrfToken(cookie!));
        return ctx.Response.WriteAsJsonAsync(info, UiJsonContext.Default.UiSessionInfo, cancellationToken: ctx.RequestAborted);
    }

    public async Task LoginAsync(HttpContext ctx)
    {
        if (!ctx.Request.HasFormContentType)
        {
            await RegistryUiEndpoints.WriteErrorAsync(ctx, 400, "BAD_REQUEST", "expected a form").ConfigureAwait(false);
            return;
        }

        var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted).ConfigureAwait(false);
        var user = await data.AuthenticateAsync(form["username"].ToString(), form["password"].ToString(), ctx.RequestAborted).ConfigureAwait(false);
        if (user is null)
        {
            await RegistryUiEndpoints.WriteErrorAsync(ctx, 401, "UNAUTHORIZED", "wrong user name or password").ConfigureAwait(false);
            return;
        }

        var cookie = signer.Issue(user);
        ctx.Response.Cookies.Append(RegistryUiEndpoints.CookieName, cookie, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = ctx.Request.IsHttps,
            Path = "/ui",
            MaxAge = UiSessionSigner.Lifetime,
        });
        var info = new UiSessionInfo(user.Name, user.IsAdmin, data.AllowsAnonymousPull, signer.CsrfToken(cookie));
        await ctx.Response.WriteAsJsonAsync(info, UiJsonContext.Default.UiSessionInfo, cancellationToken: ctx.RequestAborted).ConfigureAwait(false);
    }

    public Task LogoutAsync(HttpContext ctx)
    {
        ctx.Response.Cookies.Delete(RegistryUiEndpoints.CookieName, new CookieOptions { Path = "/ui" });
        ctx.Response.StatusCode = 204;
        return Task.CompletedTask;
    }

    public async Task RepositoriesAsync(HttpContext ctx)
    {
        if (!TryViewer(ctx, out var user))
        {
            await Unauthenticated(ctx).ConfigureAwait(false);
            return;
        }

        var q = ctx.Request.Query;
        var size = Math.Clamp(int.TryParse(q["size"], out var s) ? s : 50, 1, MaxPageSize);
        var page = Math.Max(1, int.TryParse(q["page"], out var p) ? p : 1);
        var filter = q["q"].ToString();
        var result = await data.ListRepositoriesAsync(user, filter.Length == 0 ? null : filter, (page - 1) * size, size, ctx.RequestAborted).ConfigureAwait(false);
        await ctx.Response.WriteAsJsonAsync(result, UiJsonContext.Default.UiRepositoryPage, cancellationToken: ctx.RequestAborted).ConfigureAwait(false);
    }

    public async Task TagsAsync(HttpContext ctx)
    {
        if (await RepositoryAsync(ctx, UiAction.Pull).ConfigureAwait(false) is not { } access)
        {
            return;
        }

        var tags = await data.ListTagsAsync(access.Repository, ctx.RequestAborted).ConfigureAwait(false);
        var body = new UiRepositoryTags(access.Repository, tags, data.IsAllowed(access.User, access.Repository, UiAction.Delete));
        await ctx.Response.WriteAsJsonAsync(body, UiJsonContext.Default.UiRepositoryTags, cancellationToken: ctx.RequestAborted).ConfigureAwait(false);
    }

    public async Task ManifestAsync(HttpContext ctx)
    {
        if (await RepositoryAsync(ctx, UiAction.Pull).ConfigureAwait(false) is not { } access)
        {
            return;
        }

        var reference = ctx.Request.Query["ref"].ToString();
        var manifest = reference.Length == 0 ? null : await data.GetManifestAsync(access.Repository, reference, ctx.RequestAborted).ConfigureAwait(false);
        if (manifest is null)
        {
            await RegistryUiEndpoints.WriteErrorAsync(ctx, 404, "MANIFEST_UNKNOWN", "manifest unknown").ConfigureAwait(false);
            return;
        }

        // Raw bytes as stored: the page shows them verbatim and parses them itself.
        ctx.Response.ContentType = "application/json";
        ctx.Response.Headers["Docker-Content-Digest"] = manifest.Digest;
        ctx.Response.Headers["X-Manifest-Media-Type"] = manifest.MediaType;
        await ctx.Response.Body.WriteAsync(manifest.Bytes, ctx.RequestAborted).ConfigureAwait(false);
    }

    public async Task ConfigAsync(HttpContext ctx)
    {
        if (await RepositoryAsync(ctx, UiAction.Pull).ConfigureAwait(false) is not { } access)
        {
            return;
        }

        // Only a blob the manifest names as its config is served, so this can't read arbitrary blobs.
        var manifest = await ImageManifestAsync(ctx, access.Repository).ConfigureAwait(false);
        if (manifest is null)
        {
            return;
        }

        if (manifest.Config.Size > MaxConfigBytes)
        {
            await RegistryUiEndpoints.WriteErrorAsync(ctx, 413, "TOO_LARGE", "config blob too large to show").ConfigureAwait(false);
            return;
        }

        await using var blob = await data.OpenBlobAsync(manifest.Config.Digest, ctx.RequestAborted).ConfigureAwait(false);
        if (blob is null)
        {
            await RegistryUiEndpoints.WriteErrorAsync(ctx, 404, "BLOB_UNKNOWN", "config blob missing").ConfigureAwait(false);
            return;
        }

        ctx.Response.ContentType = "application/json";
        await blob.CopyToAsync(ctx.Response.Body, ctx.RequestAborted).ConfigureAwait(false);
    }

    public async Task AnalysisAsync(HttpContext ctx)
    {
        if (await RepositoryAsync(ctx, UiAction.Pull).ConfigureAwait(false) is not { } access)
        {
            return;
        }

        var manifest = await ImageManifestAsync(ctx, access.Repository).ConfigureAwait(false);
        if (manifest is null)
        {
            return;
        }

        try
        {
            var report = await analyzer.AnalyzeAsync(manifest.Digest, manifest.Layers, data.OpenBlobAsync, ctx.RequestAborted).ConfigureAwait(false);
            await ctx.Response.WriteAsJsonAsync(report, UiJsonContext.Default.WastedBytesReport, cancellationToken: ctx.RequestAborted).ConfigureAwait(false);
        }
        catch (StrataException ex) when (ex.Kind == ErrorKind.NotFound)
        {
            await RegistryUiEndpoints.WriteErrorAsync(ctx, 404, ex.Code, ex.Message).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            await RegistryUiEndpoints.WriteErrorAsync(ctx, 422, "LAYER_UNREADABLE", ex.Message).ConfigureAwait(false);
        }
    }

    public async Task ReferrersAsync(HttpContext ctx)
    {
        if (await RepositoryAsync(ctx, UiAction.Pull).ConfigureAwait(false) is not { } access)
        {
            return;
        }

        if (!Digest.TryParse(ctx.Request.Query["digest"].ToString(), out var digest))
        {
            await RegistryUiEndpoints.WriteErrorAsync(ctx, 400, "DIGEST_INVALID", "invalid digest").ConfigureAwait(false);
            return;
        }

        var list = await data.ListReferrersAsync(access.Repository, digest, ctx.RequestAborted).ConfigureAwait(false);
        IReadOnlyList<UiReferrer> body = [.. list.Select(d => new UiReferrer(d.MediaType, d.Digest.ToString(), d.Size, d.ArtifactType))];
        await ctx.Response.WriteAsJsonAsync(body, UiJsonContext.Default.IReadOnlyListUiReferrer, cancellationToken: ctx.RequestAborted).ConfigureAwait(false);
    }

    public async Task DeleteTagAsync(HttpContext ctx)
    {
        if (await RepositoryAsync(ctx, UiAction.Delete, requireCsrf: true).ConfigureAwait(false) is not { } access)
        {
            return;
        }

        var tag = ctx.Request.Query["tag"].ToString();
        if (tag.Length == 0)
        {
            await RegistryUiEndpoints.WriteErrorAsync(ctx, 400, "TAG_INVALID", "missing tag").ConfigureAwait(false);
            return;
        }

        await DeleteAsync(ctx, () => data.DeleteTagAsync(access.Repository, tag, ctx.RequestAborted)).ConfigureAwait(false);
    }

    public async Task DeleteManifestAsync(HttpContext ctx)
    {
        if (await RepositoryAsync(ctx, UiAction.Delete, requireCsrf: true).ConfigureAwait(false) is not { } access)
        {
            return;
        }

        if (!Digest.TryParse(ctx.Request.Query["digest"].ToString(), out var digest))
        {
            await RegistryUiEndpoints.WriteErrorAsync(ctx, 400, "DIGEST_INVALID", "invalid digest").ConfigureAwait(false);
            return;
        }

        await DeleteAsync(ctx, () => data.DeleteManifestAsync(access.Repository, digest, ctx.RequestAborted)).ConfigureAwait(false);
    }

    private static async Task DeleteAsync(HttpContext ctx, Func<Task> delete)
    {
        try
        {
            await delete().ConfigureAwait(false);
            ctx.Response.StatusCode = 202;
        }
        catch (StrataException ex) when (ex.Kind == ErrorKind.NotFound)
        {
            await RegistryUiEndpoints.WriteErrorAsync(ctx, 404, ex.Code, ex.Message).ConfigureAwait(false);
        }
    }

    private async Task<ImageManifest?> ImageManifestAsync(HttpContext ctx, string repository)
    {
        var digest = ctx.Request.Query["digest"].ToString();
        var raw = Digest.TryParse(digest, out _) ? await data.GetManifestAsync(repository, digest, ctx.RequestAborted).ConfigureAwait(false) : null;
        if (raw is null)
        {
            await RegistryUiEndpoints.WriteErrorAsync(ctx, 404, "MANIFEST_UNKNOWN", "manifest unknown").ConfigureAwait(false);
            return null;
        }

        try
        {
            return ImageManifest.Parse(raw.Bytes);
        }
        catch (Exception ex) when (ex is StrataException or System.Text.Json.JsonException)
        {
            await RegistryUiEndpoints.WriteErrorAsync(ctx, 422, "MANIFEST_INVALID", "not an image manifest").ConfigureAwait(false);
            return null;
        }
    }

    private async Task<RepositoryAccess?> RepositoryAsync(HttpContext ctx, UiAction action, bool requireCsrf = false)
    {
        if (!TryViewer(ctx, out var user))
        {
            await Unauthenticated(ctx).ConfigureAwait(false);
            return null;
        }

        if (requireCsrf && (user is null || !signer.ValidateCsrf(ctx.Request.Cookies[RegistryUiEndpoints.CookieName], ctx.Request.Headers[RegistryUiEndpoints.CsrfHeader])))
        {
            await RegistryUiEndpoints.WriteErrorAsync(ctx, 403, "CSRF", "missing or invalid CSRF token").ConfigureAwait(false);
            return null;
        }

        var repository = ctx.Request.Query["repo"].ToString();
        if (repository.Length == 0)
        {
            await RegistryUiEndpoints.WriteErrorAsync(ctx, 400, "NAME_INVALID", "missing repository").ConfigureAwait(false);
            return null;
        }

        if (!data.IsAllowed(user, repository, action))
        {
            await RegistryUiEndpoints.WriteErrorAsync(ctx, 403, "DENIED", "requested access to the resource is denied").ConfigureAwait(false);
            return null;
        }

        return new RepositoryAccess(user, repository);
    }

    /// <summary>The signed-in user, or null for anonymous when the registry allows anonymous pull.</summary>
    private bool TryViewer(HttpContext ctx, out UiUser? user)
    {
        user = signer.Validate(ctx.Request.Cookies[RegistryUiEndpoints.CookieName]);
        return user is not null || data.AllowsAnonymousPull;
    }

    private static Task Unauthenticated(HttpContext ctx) =>
        RegistryUiEndpoints.WriteErrorAsync(ctx, 401, "UNAUTHORIZED", "sign in first");

    private static async Task ServeAssetAsync(HttpContext ctx, string name)
    {
        await using var asset = UiAssets.Open(name);
        if (asset is null)
        {
            ctx.Response.StatusCode = 404;
            return;
        }

        ctx.Response.ContentType = UiAssets.ContentType(name);
        ctx.Response.Headers.CacheControl = "no-cache";
        ctx.Response.Headers["Content-Security-Policy"] = "default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data:";
        ctx.Response.Headers["X-Frame-Options"] = "DENY";
        await asset.CopyToAsync(ctx.Response.Body, ctx.RequestAborted).ConfigureAwait(false);
    }

    private sealed record RepositoryAccess(UiUser? User, string Repository);
}
