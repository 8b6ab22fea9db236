using System.Net;
using System.Text.Json;
using Strata.Registry.Ui;

namespace Strata.Registry.Tests.Ui;

public sealed class RegistryUiEndpointsTests : IAsyncLifetime
{
    private UiTestHost? _host;

    private InMemoryUiData Data => _host!.Data;

    public async Task InitializeAsync() => _host = await UiTestHost.StartAsync();

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    private HttpClient Client() => new(new HttpClientHandler { CookieContainer = new CookieContainer(), UseCookies = true }) { BaseAddress = _host!.Address };

    private static async Task<string> LoginAsync(HttpClient client, string user, string password)
    {
        using var r = await client.PostAsync("ui/api/login", new FormUrlEncodedContent([new("username", user), new("password", password)]));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        using var doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("csrf").GetString()!;
    }

    [Fact]
    public async Task Pages_and_assets_are_served_from_the_binary()
    {
        using var client = Client();
        var html = await client.GetStringAsync("ui/");
        Assert.Contains("/ui/static/app.js", html, StringComparison.Ordinal);
        using var js = await client.GetAsync("ui/static/app.js");
        Assert.Equal("text/javascript; charset=utf-8", js.Content.Headers.ContentType!.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("ui/static/..%2FStrata.Registry.dll")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("ui/static/nope.js")).StatusCode);
    }

    [Fact]
    public async Task Anonymous_is_refused_unless_anonymous_pull_is_allowed()
    {
        using var client = Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("ui/api/repositories")).StatusCode);
        Data.AllowsAnonymousPull = true;
        var body = await client.GetStringAsync("ui/api/repositories");
        Assert.Contains("team/busybox", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_password_is_refused()
    {
        using var client = Client();
        using var r = await client.PostAsync("ui/api/login", new FormUrlEncodedContent([new("username", "admin"), new("password", "nope")]));
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
    }

    [Fact]
    public async Task Signed_in_user_lists_filters_and_pages_repositories()
    {
        using var client = Client();
        await LoginAsync(client, "reader", "read");
        using var all = JsonDocument.Parse(await client.GetStringAsync("ui/api/repositories?size=1&page=2"));
        Assert.Equal(2, all.RootElement.GetProperty("total").GetInt32());
        Assert.Equal("team/busybox", all.RootElement.GetProperty("items")[0].GetProperty("name").GetString());
        using var filtered = JsonDocument.Parse(await client.GetStringAsync("ui/api/repositories?q=busy"));
        Assert.Equal(1, filtered.RootElement.GetProperty("total").GetInt32());
        Assert.Equal(2, filtered.RootElement.GetProperty("items")[0].GetProperty("tagCount").GetInt32());
    }

    [Fact]
    public async Task Image_endpoints_return_manifest_config_and_analysis()
    {
        using var client = Client();
        await LoginAsync(client, "reader", "read");
        var digest = Data.Tags["team/busybox"]["latest"].Digest;
        using var m = await client.GetAsync("ui/api/manifest?repo=team/busybox&ref=latest");
        Assert.Equal(digest, m.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.Equal(Data.Tags["team/busybox"]["latest"].Bytes.ToArray(), await m.Content.ReadAsByteArrayAsync());
        var config = await client.GetStringAsync($"ui/api/config?repo=team/busybox&digest={digest}");
        Assert.Contains("\"Cmd\":[\"sh\"]", config, StringComparison.Ordinal);
        using var analysis = JsonDocument.Parse(await client.GetStringAsync($"ui/api/analysis?repo=team/busybox&digest={digest}"));
        Assert.Equal(2000 + 30 + 4096 + 45, analysis.RootElement.GetProperty("totalBytes").GetInt64());
        Assert.Equal(30 + 4096, analysis.RootElement.GetProperty("wastedBytes").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("ui/api/manifest?repo=team/busybox&ref=nope")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("ui/api/referrers?repo=team/busybox&digest=sha256:bad")).StatusCode);
    }

    [Fact]
    public async Task Delete_needs_csrf_and_delete_rights()
    {
        using var reader = Client();
        var readerCsrf = await LoginAsync(reader, "reader", "read");
        using var tags = JsonDocument.Parse(await reader.GetStringAsync("ui/api/tags?repo=team/busybox"));
        Assert.False(tags.RootElement.GetProperty("canDelete").GetBoolean());
        Assert.Equal(HttpStatusCode.Forbidden, (await DeleteTagAsync(reader, readerCsrf, "latest")).StatusCode);

        using var admin = Client();
        var csrf = await LoginAsync(admin, "admin", "secret");
        using var adminTags = JsonDocument.Parse(await admin.GetStringAsync("ui/api/tags?repo=team/busybox"));
        Assert.True(adminTags.RootElement.GetProperty("canDelete").GetBoolean());
        Assert.Equal(HttpStatusCode.Forbidden, (await DeleteTagAsync(admin, null, "latest")).StatusCode); // no token
        Assert.Equal(HttpStatusCode.Forbidden, (await DeleteTagAsync(admin, readerCsrf, "latest")).StatusCode); // another session's token
        Assert.True(Data.Tags["team/busybox"].ContainsKey("latest"));
        Assert.Equal(HttpStatusCode.Accepted, (await DeleteTagAsync(admin, csrf, "latest")).StatusCode);
        Assert.False(Data.Tags["team/busybox"].ContainsKey("latest"));
        Assert.Equal(HttpStatusCode.NotFound, (await DeleteTagAsync(admin, csrf, "latest")).StatusCode);
    }

    private static async Task<HttpResponseMessage> DeleteTagAsync(HttpClient client, string? csrf, string tag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"ui/api/tag?repo=team/busybox&tag={tag}");
        if (csrf is not null)
        {
            request.Headers.Add(RegistryUiEndpoints.CsrfHeader, csrf);
        }

        return await client.SendAsync(request);
    }
}
