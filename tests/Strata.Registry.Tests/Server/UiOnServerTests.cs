using System.Net;
using System.Text.Json;

namespace Strata.Registry.Tests.Server;

/// <summary>The web UI's API served by the real registry: same users and rules, admin and maintenance pages.</summary>
public sealed class UiOnServerTests
{
    private sealed record Session(HttpClient Http, string Csrf) : IDisposable
    {
        public void Dispose() => Http.Dispose();
    }

    private static async Task<Session> SignInAsync(RegistryTestHost host, string user, string password)
    {
        var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = host.Server.Address };
        using var r = await http.PostAsync("/ui/api/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = user, ["password"] = password }));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        using var doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync());
        return new Session(http, doc.RootElement.GetProperty("csrf").GetString()!);
    }

    private static HttpRequestMessage Form(HttpMethod method, string path, string csrf, Dictionary<string, string>? form = null)
    {
        var m = new HttpRequestMessage(method, path);
        m.Headers.Add("X-CSRF-Token", csrf);
        if (form is not null)
        {
            m.Content = new FormUrlEncodedContent(form);
        }

        return m;
    }

    [Fact]
    public async Task Repositories_tags_and_delete_follow_the_registry_rules()
    {
        await using var host = await RegistryTestHost.StartAsync();
        await host.PushImageAsync("team/app", "v1");
        await host.PushImageAsync("team/app", "v2");
        await host.AddUserAsync("admin", "pw", admin: true);
        await host.AddUserAsync("reader", "r");
        await host.GrantAsync("user:reader", "team/**", "pull");

        using var reader = await SignInAsync(host, "reader", "r");
        var repos = await reader.Http.GetStringAsync("/ui/api/repositories");
        Assert.Contains("\"name\":\"team/app\"", repos, StringComparison.Ordinal);
        Assert.Contains("\"tagCount\":2", repos, StringComparison.Ordinal);
        var tags = await reader.Http.GetStringAsync("/ui/api/tags?repo=team/app");
        Assert.Contains("\"canDelete\":false", tags, StringComparison.Ordinal);
        // A single-platform image's platform comes from its config (only an index lists platforms itself).
        Assert.Contains("\"platforms\":[\"linux/amd64\"]", tags, StringComparison.Ordinal);
        using (var denied = await reader.Http.SendAsync(Form(HttpMethod.Delete, "/ui/api/tag?repo=team/app&tag=v1", reader.Csrf)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        }

        using var admin = await SignInAsync(host, "admin", "pw");
        using (var noCsrf = await admin.Http.DeleteAsync("/ui/api/tag?repo=team/app&tag=v1"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, noCsrf.StatusCode);
        }

        using (var ok = await admin.Http.SendAsync(Form(HttpMethod.Delete, "/ui/api/tag?repo=team/app&tag=v1", admin.Csrf)))
        {
            Assert.Equal(HttpStatusCode.Accepted, ok.StatusCode);
        }

        using (var list = await host.Http.SendAsync(WithBasic("/v2/team/app/tags/list", "admin", "pw")))
        {
            Assert.Equal("""{"name":"team/app","tags":["v2"]}""", await list.Content.ReadAsStringAsync());
        }

        using var usage = await reader.Http.GetAsync("/ui/api/usage?repo=team/app");
        Assert.Equal(HttpStatusCode.OK, usage.StatusCode);
        Assert.Contains("\"used\":", await usage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admins_manage_users_rules_and_garbage_collection_others_cannot()
    {
        await using var host = await RegistryTestHost.StartAsync();
        await host.AddUserAsync("root", "pw", admin: true);
        await host.AddUserAsync("dev", "d");
        using var admin = await SignInAsync(host, "root", "pw");
        using var dev = await SignInAsync(host, "dev", "d");

        Assert.Equal(HttpStatusCode.Forbidden, (await dev.Http.GetAsync("/ui/api/admin/users")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await dev.Http.SendAsync(Form(HttpMethod.Post, "/ui/api/admin/gc?dryRun=true", dev.Csrf))).StatusCode);

        using (var add = await admin.Http.SendAsync(Form(HttpMethod.Post, "/ui/api/admin/users", admin.Csrf, new() { ["name"] = "carol", ["password"] = "c", ["groups"] = "qa" })))
        {
            Assert.Equal(HttpStatusCode.Created, add.StatusCode);
        }

        using (var dup = await admin.Http.SendAsync(Form(HttpMethod.Post, "/ui/api/admin/users", admin.Csrf, new() { ["name"] = "carol", ["password"] = "x" })))
        {
            Assert.Equal(HttpStatusCode.Conflict, dup.StatusCode);
        }

        using (var bad = await admin.Http.SendAsync(Form(HttpMethod.Post, "/ui/api/admin/rules", admin.Csrf, new() { ["subject"] = "nobody", ["pattern"] = "**", ["actions"] = "pull" })))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        using (var grant = await admin.Http.SendAsync(Form(HttpMethod.Post, "/ui/api/admin/rules", admin.Csrf, new() { ["subject"] = "group:qa", ["pattern"] = "qa/**", ["actions"] = "pull,push" })))
        {
            Assert.Equal(HttpStatusCode.Created, grant.StatusCode);
        }

        Assert.Contains("\"pattern\":\"qa/**\"", await admin.Http.GetStringAsync("/ui/api/admin/rules"), StringComparison.Ordinal);
        // carol can now push to qa/ through the registry API with the password set in the UI.
        await host.PushImageAsync("qa/tool", "v1", auth: RegistryTestHost.Basic("carol", "c"));

        using (var pw = await admin.Http.SendAsync(Form(HttpMethod.Post, "/ui/api/admin/users/password", admin.Csrf, new() { ["name"] = "carol", ["password"] = "new" })))
        {
            Assert.Equal(HttpStatusCode.NoContent, pw.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Http.SendAsync(WithBasic("/v2/qa/tool/tags/list", "carol", "c"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Http.SendAsync(WithBasic("/v2/qa/tool/tags/list", "carol", "new"))).StatusCode);

        using var gc = await admin.Http.SendAsync(Form(HttpMethod.Post, "/ui/api/admin/gc?dryRun=true", admin.Csrf));
        Assert.Equal(HttpStatusCode.OK, gc.StatusCode);
        Assert.Contains("\"dryRun\":true", await gc.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("\"repository\":\"qa/tool\"", await admin.Http.GetStringAsync("/ui/api/admin/usage"), StringComparison.Ordinal);

        using (var rm = await admin.Http.SendAsync(Form(HttpMethod.Delete, "/ui/api/admin/users?name=dev", admin.Csrf)))
        {
            Assert.Equal(HttpStatusCode.NoContent, rm.StatusCode);
        }

        Assert.DoesNotContain("\"dev\"", await admin.Http.GetStringAsync("/ui/api/admin/users"), StringComparison.Ordinal);
    }

    private static HttpRequestMessage WithBasic(string path, string user, string password)
    {
        var m = new HttpRequestMessage(HttpMethod.Get, path);
        m.Headers.Authorization = RegistryTestHost.Basic(user, password);
        return m;
    }
}
