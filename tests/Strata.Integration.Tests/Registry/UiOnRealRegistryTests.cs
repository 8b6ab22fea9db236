using System.Net;
using System.Text.Json;
using Strata.Integration.Tests.Images;
using Strata.Integration.Tests.Support;

namespace Strata.Integration.Tests.Registry;

/// <summary>
/// The web UI's JSON API on a real <c>strata registry serve</c> with images skopeo pushed (gzip layers it compressed
/// itself): sign-in, the repository list, tags with skopeo's digests, the wasted-bytes analysis of a file a later
/// layer deletes, and that a signed-in user without rules on a repository does not see it.
/// </summary>
[Trait("Category", "Integration")]
public sealed class UiOnRealRegistryTests : IDisposable
{
    private const int WastedFileBytes = 300_000;
    private readonly StrataBinary _strata = new();
    private readonly string _tmp = Directory.CreateTempSubdirectory("strata-ui-it-").FullName;

    public void Dispose()
    {
        _strata.Dispose();
        Directory.Delete(_tmp, recursive: true);
    }

    private async Task Admin(string dataDir, string? stdin, params string[] args) =>
        (await _strata.RunAsync(["registry", "--data-dir", dataDir, .. args], stdin)).EnsureSuccess("strata registry " + string.Join(' ', args));

    private static async Task<JsonElement> GetJsonAsync(HttpClient http, string path)
    {
        using var r = await http.GetAsync(path);
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.IsSuccessStatusCode, $"GET {path}: {(int)r.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task<HttpClient> SignInAsync(StrataRegistry registry, string user, string password)
    {
        var http = new HttpClient(new HttpClientHandler { UseProxy = false, UseCookies = true }) { BaseAddress = registry.BaseUri };
        using var login = await http.PostAsync("ui/api/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = user, ["password"] = password }));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return http;
    }

    [Fact]
    public async Task The_ui_api_shows_what_skopeo_pushed_to_whoever_may_see_it()
    {
        var dataDir = Path.Combine(_tmp, "data");
        await Admin(dataDir, "admin-Pass-1", "user", "add", "admin", "--password-stdin", "--admin");
        await Admin(dataDir, "carol-Pass-1", "user", "add", "carol", "--password-stdin");
        await Admin(dataDir, null, "access", "grant", "user:carol", "team/**", "pull");
        await using var registry = await StrataRegistry.StartAsync(_strata, dataDir);

        // Layer 1 adds /big.bin, layer 2 deletes it (a whiteout): its bytes are still shipped.
        var archive = Path.Combine(_tmp, "waste.tar");
        ImageArchiveBuilder.Write(archive, "peer/waste:1",
            (ImageArchiveBuilder.Layer(("big.bin", new byte[WastedFileBytes]), ("keep.txt", "kept\n"u8.ToArray())), "ADD big.bin"),
            (ImageArchiveBuilder.Layer((".wh.big.bin", Array.Empty<byte>())), "RUN rm /big.bin"));
        var creds = new[] { "--dest-creds", "admin:admin-Pass-1" };
        await Skopeo.CopyAsync("docker-archive:" + archive, $"docker://{registry.Host}/team/waste:1", creds);
        await Skopeo.CopyAsync("docker-archive:" + archive, $"docker://{registry.Host}/team/waste:2", creds);
        await Skopeo.CopyAsync("docker-archive:" + archive, $"docker://{registry.Host}/private/waste:1", creds);
        var digest = (await Skopeo.InspectAsync($"docker://{registry.Host}/team/waste:1", "--creds", "admin:admin-Pass-1")).GetProperty("Digest").GetString()!;

        using (var anonymous = new HttpClient(new HttpClientHandler { UseProxy = false }) { BaseAddress = registry.BaseUri })
        using (var refused = await anonymous.GetAsync("ui/api/repositories"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var admin = await SignInAsync(registry, "admin", "admin-Pass-1");
        var session = await GetJsonAsync(admin, "ui/api/session");
        Assert.True(session.GetProperty("isAdmin").GetBoolean());
        var repos = await GetJsonAsync(admin, "ui/api/repositories?page=1&size=50");
        Assert.Equal(2, repos.GetProperty("total").GetInt32());
        var team = repos.GetProperty("items").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "team/waste");
        Assert.Equal(2, team.GetProperty("tagCount").GetInt32());

        var tags = await GetJsonAsync(admin, "ui/api/tags?repo=team/waste");
        Assert.Equal(new[] { "1", "2" }, tags.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("name").GetString()!).Order().ToArray());
        Assert.All(tags.GetProperty("tags").EnumerateArray(), t =>
        {
            Assert.Equal(digest, t.GetProperty("digest").GetString());
            Assert.Equal("linux/amd64", Assert.Single(t.GetProperty("platforms").EnumerateArray()).GetString());
        });

        var analysis = await GetJsonAsync(admin, $"ui/api/analysis?repo=team/waste&digest={Uri.EscapeDataString(digest)}");
        Assert.Equal(WastedFileBytes, analysis.GetProperty("wastedBytes").GetInt64());
        Assert.Equal("big.bin", analysis.GetProperty("files")[0].GetProperty("path").GetString()!.TrimStart('/'));

        // carol may pull team/** only: the list and the API agree.
        using var carol = await SignInAsync(registry, "carol", "carol-Pass-1");
        var hers = await GetJsonAsync(carol, "ui/api/repositories");
        Assert.Equal(new[] { "team/waste" }, hers.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("name").GetString()!).ToArray());
        using var hidden = await carol.GetAsync("ui/api/tags?repo=private/waste");
        Assert.True(hidden.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"carol got {(int)hidden.StatusCode} for private/waste");
    }
}
