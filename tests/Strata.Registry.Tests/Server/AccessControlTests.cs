using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Strata.Registry.Auth;

namespace Strata.Registry.Tests.Server;

/// <summary>Users, Basic and Bearer authentication, access rules per repository pattern, anonymous pull, catalog filtering.</summary>
public sealed class AccessControlTests
{
    [Fact]
    public async Task Without_users_the_registry_is_open_and_with_users_it_asks_for_basic_credentials()
    {
        await using var host = await RegistryTestHost.StartAsync();
        await host.PushImageAsync("open/img", "v1");
        await host.AddUserAsync("admin", "pw", admin: true);

        using var ping = await host.Http.GetAsync("/v2/");
        Assert.Equal(HttpStatusCode.Unauthorized, ping.StatusCode);
        Assert.Equal("Basic realm=\"Strata Registry\"", ping.Headers.WwwAuthenticate.Single().ToString());
        using var anon = await host.Http.GetAsync("/v2/open/img/manifests/v1");
        Assert.Equal(HttpStatusCode.Unauthorized, anon.StatusCode);

        using var ok = await Send(host, HttpMethod.Get, "/v2/open/img/manifests/v1", RegistryTestHost.Basic("admin", "pw"));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using var wrong = await Send(host, HttpMethod.Get, "/v2/open/img/manifests/v1", RegistryTestHost.Basic("admin", "nope"));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        using var ghost = await Send(host, HttpMethod.Get, "/v2/", RegistryTestHost.Basic("ghost", "pw"));
        Assert.Equal(HttpStatusCode.Unauthorized, ghost.StatusCode);
    }

    [Fact]
    public async Task Rules_grant_actions_per_user_and_group_on_patterns()
    {
        await using var host = await RegistryTestHost.StartAsync();
        await host.AddUserAsync("admin", "pw", admin: true);
        await host.AddUserAsync("alice", "a", false, "team-a");
        await host.AddUserAsync("bob", "b");
        await host.GrantAsync("group:team-a", "team-a/**", RegistryAction.Pull, RegistryAction.Push);
        await host.GrantAsync("user:bob", "team-a/*", RegistryAction.Pull);
        var alice = RegistryTestHost.Basic("alice", "a");
        var bob = RegistryTestHost.Basic("bob", "b");

        await host.PushImageAsync("team-a/app/web", "v1", auth: alice);
        using (var denied = await PostUpload(host, "team-b/app", alice))
        {
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
            using var doc = JsonDocument.Parse(await denied.Content.ReadAsStringAsync());
            Assert.Equal("DENIED", doc.RootElement.GetProperty("errors")[0].GetProperty("code").GetString());
        }

        // bob may pull team-a/x (one segment) but not team-a/app/web (two), and may not push.
        await host.PushImageAsync("team-a/tool", "v1", auth: alice);
        Assert.Equal(HttpStatusCode.OK, (await Send(host, HttpMethod.Get, "/v2/team-a/tool/manifests/v1", bob)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(host, HttpMethod.Get, "/v2/team-a/app/web/manifests/v1", bob)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostUpload(host, "team-a/tool", bob)).StatusCode);

        // Delete needs the delete action.
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(host, HttpMethod.Delete, "/v2/team-a/tool/manifests/v1", alice)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await Send(host, HttpMethod.Delete, "/v2/team-a/tool/manifests/v1", RegistryTestHost.Basic("admin", "pw"))).StatusCode);

        // The catalog shows each caller what it may pull.
        var forBob = await (await Send(host, HttpMethod.Get, "/v2/_catalog", bob)).Content.ReadAsStringAsync();
        Assert.Equal("""{"repositories":["team-a/tool"]}""", forBob);
        var forAlice = await (await Send(host, HttpMethod.Get, "/v2/_catalog", alice)).Content.ReadAsStringAsync();
        Assert.Equal("""{"repositories":["team-a/app/web","team-a/tool"]}""", forAlice);
    }

    [Fact]
    public async Task Anonymous_pull_is_optional()
    {
        await using var host = await RegistryTestHost.StartAsync(o => o with { AnonymousPull = true });
        await host.PushImageAsync("pub/img", "v1");
        await host.AddUserAsync("admin", "pw", admin: true);
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync("/v2/pub/img/manifests/v1")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Http.PostAsync("/v2/pub/img/blobs/uploads/", null)).StatusCode);
        Assert.Contains("pub/img", await host.Http.GetStringAsync("/v2/_catalog"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_flow_issues_scoped_bearer_tokens()
    {
        await using var host = await RegistryTestHost.StartAsync(o => o with { AuthMode = "token" });
        await host.AddUserAsync("alice", "a");
        await host.AddUserAsync("bob", "b");
        await host.GrantAsync("user:alice", "**", RegistryAction.All.ToArray());
        await host.GrantAsync("user:bob", "lib/*", RegistryAction.Pull);

        using var challenge = await host.Http.GetAsync("/v2/lib/img/manifests/v1");
        Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
        var header = challenge.Headers.WwwAuthenticate.Single().ToString();
        Assert.StartsWith("Bearer realm=\"http://127.0.0.1:", header, StringComparison.Ordinal);
        Assert.Contains("service=\"strata-registry\"", header, StringComparison.Ordinal);
        Assert.Contains("scope=\"repository:lib/img:pull\"", header, StringComparison.Ordinal);

        var aliceToken = await TokenAsync(host, RegistryTestHost.Basic("alice", "a"), "repository:lib/img:pull,push");
        var bearer = new AuthenticationHeaderValue("Bearer", aliceToken);
        await host.PushImageAsync("lib/img", "v1", auth: bearer);

        // A token only carries what was asked and granted: bob's pull token cannot push.
        var bobToken = new AuthenticationHeaderValue("Bearer", await TokenAsync(host, RegistryTestHost.Basic("bob", "b"), "repository:lib/img:pull,push"));
        Assert.Equal(HttpStatusCode.OK, (await Send(host, HttpMethod.Get, "/v2/lib/img/manifests/v1", bobToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostUpload(host, "lib/img", bobToken)).StatusCode);
        // ...nor read another repository.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(host, HttpMethod.Get, "/v2/other/manifests/v1", bobToken)).StatusCode);

        // Anonymous tokens carry nothing here; wrong passwords get no token; forged tokens are refused.
        var anon = new AuthenticationHeaderValue("Bearer", await TokenAsync(host, null, "repository:lib/img:pull"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(host, HttpMethod.Get, "/v2/lib/img/manifests/v1", anon)).StatusCode);
        using var badLogin = new HttpRequestMessage(HttpMethod.Get, "/token?service=strata-registry&scope=repository:lib/img:pull");
        badLogin.Headers.Authorization = RegistryTestHost.Basic("alice", "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Http.SendAsync(badLogin)).StatusCode);
        var forged = aliceToken[..^4] + (aliceToken[^4..] == "AAAA" ? "BBBB" : "AAAA");
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(host, HttpMethod.Get, "/v2/lib/img/manifests/v1", new AuthenticationHeaderValue("Bearer", forged))).StatusCode);

        // Tokens survive a restart (the signing key is kept under the data directory).
        await host.RestartAsync();
        Assert.Equal(HttpStatusCode.OK, (await Send(host, HttpMethod.Get, "/v2/lib/img/manifests/v1", bearer)).StatusCode);
    }

    private static async Task<string> TokenAsync(RegistryTestHost host, AuthenticationHeaderValue? auth, string scope)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/token?service=strata-registry&scope={Uri.EscapeDataString(scope)}");
        request.Headers.Authorization = auth;
        using var response = await host.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("token").GetString()!;
    }

    private static async Task<HttpResponseMessage> Send(RegistryTestHost host, HttpMethod method, string path, AuthenticationHeaderValue? auth)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = auth;
        return await host.Http.SendAsync(request);
    }

    private static Task<HttpResponseMessage> PostUpload(RegistryTestHost host, string repo, AuthenticationHeaderValue? auth) =>
        Send(host, HttpMethod.Post, $"/v2/{repo}/blobs/uploads/", auth);
}
