using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Strata.Oci;
using Strata.Registry.Ui;

namespace Strata.Registry.Tests.Ui;

public sealed class RegistryUiEndpointsTests : IAsyncLifetime
{
    private readonly InMemoryUiData _data = new();
    private WebApplication? _app;
    private Uri _base = new("http://127.0.0.1/");

    public async Task InitializeAsync()
    {
        _data.Users["admin"] = ("secret", true, true);
        _data.Users["reader"] = ("read", false, false);
        var layer = TestLayers.Tar(gzip: true, ("bin/sh", 20), ("etc/passwd", 5));
        var layerDesc = TestLayers.Describe(layer, true);
        var config = """{"architecture":"amd64","os":"linux","config":{"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":[]},"history":[{"created_by":"import"}]}"""u8.ToArray();
        var configDigest = Digest.Compute(config);
        _data.Blobs[layerDesc.Digest] = layer;
        _data.Blobs[configDigest] = config;
        var manifest = Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}","config":{"mediaType":"{{MediaTypes.OciConfig}}","digest":"{{configDigest}}","size":{{config.Length}}},"layers":[{"mediaType":"{{layerDesc.MediaType}}","digest":"{{layerDesc.Digest}}","size":{{layerDesc.Size}}}]}""");
        var ui = new UiManifest(Digest.Compute(manifest).ToString(), MediaTypes.OciManifest, manifest);
        _data.Tags["team/busybox"] = new() { ["latest"] = ui, ["1.35"] = ui };
        _data.Tags["other"] = new() { ["v1"] = ui };

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapRegistryUi(_data);
        await _app.StartAsync();
        _base = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private HttpClient Client() => new(new HttpClientHandler { CookieContainer = new CookieContainer(), UseCookies = true }) { BaseAddress = _base };

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
        _data.AllowsAnonymousPull = true;
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
        var digest = _data.Tags["team/busybox"]["latest"].Digest;
        using var m = await client.GetAsync("ui/api/manifest?repo=team/busybox&ref=latest");
        Assert.Equal(digest, m.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.Equal(_data.Tags["team/busybox"]["latest"].Bytes.ToArray(), await m.Content.ReadAsByteArrayAsync());
        var config = await client.GetStringAsync($"ui/api/config?repo=team/busybox&digest={digest}");
        Assert.Contains("\"Cmd\":[\"sh\"]", config, StringComparison.Ordinal);
        using var analysis = JsonDocument.Parse(await client.GetStringAsync($"ui/api/analysis?repo=team/busybox&digest={digest}"));
        Assert.Equal(25, analysis.RootElement.GetProperty("totalBytes").GetInt64());
        Assert.Equal(0, analysis.RootElement.GetProperty("wastedBytes").GetInt64());
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
        Assert.True(_data.Tags["team/busybox"].ContainsKey("latest"));
        Assert.Equal(HttpStatusCode.Accepted, (await DeleteTagAsync(admin, csrf, "latest")).StatusCode);
        Assert.False(_data.Tags["team/busybox"].ContainsKey("latest"));
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
