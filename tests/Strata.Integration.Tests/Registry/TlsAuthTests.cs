using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Strata.Integration.Tests.Images;
using Strata.Integration.Tests.Support;

namespace Strata.Integration.Tests.Registry;

/// <summary>
/// <c>strata registry serve</c> over TLS (a self-signed certificate from openssl) with users and access rules, in
/// both auth modes: skopeo with <c>--creds</c>, podman login/push/pull and strata login/push/pull get in with the
/// right password, a wrong one gets 401, and a user with pull rights only cannot push.
/// </summary>
[Trait("Category", "Integration")]
public sealed class TlsAuthTests : IDisposable
{
    private const string AlicePassword = "alice-Secret-1";
    private const string BobPassword = "bob-Secret-2";
    private readonly StrataBinary _strata = new();
    private readonly IsolatedPodman _podman = new();
    private readonly string _tmp = Directory.CreateTempSubdirectory("strata-tls-it-").FullName;

    public void Dispose()
    {
        _strata.Dispose();
        _podman.Dispose();
        Directory.Delete(_tmp, recursive: true);
    }

    private async Task<(string Cert, string Key)> SelfSignedAsync()
    {
        var cert = Path.Combine(_tmp, "cert.pem");
        var key = Path.Combine(_tmp, "key.pem");
        (await Proc.RunAsync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"])).EnsureSuccess("openssl req");
        return (cert, key);
    }

    /// <summary>Users and rules go in before the server starts (a running server picks CLI changes up within 2 s).</summary>
    private async Task<StrataRegistry> StartAsync(string auth)
    {
        var dataDir = Path.Combine(_tmp, "data");
        async Task Admin(string? stdin, params string[] args) =>
            (await _strata.RunAsync(["registry", "--data-dir", dataDir, .. args], stdin)).EnsureSuccess("strata registry " + string.Join(' ', args));
        await Admin(AlicePassword, "user", "add", "alice", "--password-stdin");
        await Admin(BobPassword, "user", "add", "bob", "--password-stdin");
        await Admin(null, "access", "grant", "user:alice", "**", "pull,push");
        await Admin(null, "access", "grant", "user:bob", "**", "pull");
        return await StrataRegistry.StartAsync(_strata, dataDir, await SelfSignedAsync(), "--auth", auth);
    }

    private static HttpClient InsecureClient() =>
        new(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true, UseProxy = false });

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    /// <summary>
    /// The status a request with these Basic credentials gets: directly for <c>--auth basic</c>; for <c>--auth token</c>
    /// from the token realm the registry's challenge names (the registry itself never sees the password).
    /// </summary>
    private static async Task<HttpStatusCode> StatusWithAsync(StrataRegistry registry, string user, string password, string scope)
    {
        using var http = InsecureClient();
        using var challenge = await http.GetAsync(new Uri(registry.BaseUri, "v2/"));
        Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
        var header = Assert.Single(challenge.Headers.WwwAuthenticate);
        Uri url;
        if (header.Scheme == "Bearer")
        {
            var realm = header.Parameter!.Split(',').Select(p => p.Split('=', 2)).First(p => p[0].Trim() == "realm")[1].Trim('"');
            url = new Uri($"{realm}?service={registry.Host}&scope={Uri.EscapeDataString(scope)}");
        }
        else
        {
            Assert.Equal("Basic", header.Scheme);
            url = new Uri(registry.BaseUri, "v2/");
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = Basic(user, password);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    [Theory]
    [InlineData("basic")]
    [InlineData("token")]
    public async Task Skopeo_podman_and_strata_log_in_over_tls_and_rules_hold(string auth)
    {
        await using var registry = await StartAsync(auth);
        await TestImages.ImportBusyboxAsync(_strata, "peer/busybox:1");
        var archive = Path.Combine(_tmp, "busybox.tar");
        await _strata.OkAsync("save", "-o", archive, "peer/busybox:1");
        var app = $"docker://{registry.Host}/team/app:1";

        // Right password: push and inspect with --creds.
        await Skopeo.CopyAsync("docker-archive:" + archive, app, "--dest-creds", "alice:" + AlicePassword);
        Assert.Equal("linux", (await Skopeo.InspectAsync(app, "--creds", "alice:" + AlicePassword)).GetProperty("Os").GetString());
        Assert.Equal("linux", (await Skopeo.InspectAsync(app, "--creds", "bob:" + BobPassword)).GetProperty("Os").GetString());

        // No or wrong credentials: refused, and the raw status is 401.
        var anonymous = await Skopeo.RunAsync("inspect", "--tls-verify=false", app);
        Assert.NotEqual(0, anonymous.ExitCode);
        var wrong = await Skopeo.RunAsync("inspect", "--tls-verify=false", "--creds", "alice:not-her-password", app);
        Assert.NotEqual(0, wrong.ExitCode);
        Assert.Contains("unauthorized", wrong.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithAsync(registry, "alice", "not-her-password", "repository:team/app:pull"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithAsync(registry, "mallory", AlicePassword, "repository:team/app:pull"));
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(registry, "alice", AlicePassword, "repository:team/app:pull"));

        // bob may pull but not push.
        var denied = await Skopeo.RunAsync("copy", "--quiet", "--dest-tls-verify=false", "--dest-creds", "bob:" + BobPassword, "docker-archive:" + archive, $"docker://{registry.Host}/team/bob:1");
        Assert.NotEqual(0, denied.ExitCode);
        Assert.Matches("(?i)denied|unauthorized|403", denied.Stderr);
        var missing = await Skopeo.RunAsync("inspect", "--tls-verify=false", "--creds", "alice:" + AlicePassword, $"docker://{registry.Host}/team/bob:1");
        Assert.NotEqual(0, missing.ExitCode);

        // podman: login (a wrong password first), pull what skopeo pushed, push a copy under a new name.
        var authFile = Path.Combine(_tmp, "podman-auth.json");
        var badLogin = await _podman.RunAsync("login", "--tls-verify=false", "--authfile", authFile, "-u", "alice", "-p", "wrong", registry.Host);
        Assert.NotEqual(0, badLogin.ExitCode);
        await _podman.OkAsync("login", "--tls-verify=false", "--authfile", authFile, "-u", "alice", "-p", AlicePassword, registry.Host);
        await _podman.OkAsync("pull", "--tls-verify=false", "--authfile", authFile, $"{registry.Host}/team/app:1");
        await _podman.OkAsync("tag", $"{registry.Host}/team/app:1", $"{registry.Host}/team/podman:1");
        await _podman.OkAsync("push", "--tls-verify=false", "--authfile", authFile, $"{registry.Host}/team/podman:1");
        var podmanPushed = await Skopeo.InspectAsync($"docker://{registry.Host}/team/podman:1", "--creds", "alice:" + AlicePassword);
        Assert.Single(podmanPushed.GetProperty("Layers").EnumerateArray());

        var bobAuth = Path.Combine(_tmp, "podman-bob.json");
        await _podman.OkAsync("login", "--tls-verify=false", "--authfile", bobAuth, "-u", "bob", "-p", BobPassword, registry.Host);
        await _podman.OkAsync("tag", $"{registry.Host}/team/app:1", $"{registry.Host}/team/bob-podman:1");
        var bobPush = await _podman.RunAsync("push", "--tls-verify=false", "--authfile", bobAuth, $"{registry.Host}/team/bob-podman:1");
        Assert.NotEqual(0, bobPush.ExitCode);

        // strata's own client: login stores the credential in DOCKER_CONFIG, then pull and push work (loopback: TLS unverified).
        var env = new Dictionary<string, string> { ["DOCKER_CONFIG"] = Path.Combine(_tmp, "docker-config") };
        var strataBad = await _strata.RunAsync(["login", "-u", "alice", "--password-stdin", registry.Host], "wrong\n", env);
        Assert.NotEqual(0, strataBad.ExitCode);
        (await _strata.RunAsync(["login", "-u", "alice", "--password-stdin", registry.Host], AlicePassword + "\n", env)).EnsureSuccess("strata login");
        (await _strata.RunAsync(["pull", $"{registry.Host}/team/podman:1"], null, env)).EnsureSuccess("strata pull");
        await _strata.OkAsync("tag", "peer/busybox:1", $"{registry.Host}/team/strata:1");
        (await _strata.RunAsync(["push", $"{registry.Host}/team/strata:1"], null, env)).EnsureSuccess("strata push");
        Assert.Equal(
            await TestImages.ImageIdAsync(_strata, "peer/busybox:1"),
            (await Skopeo.InspectAsync($"docker://{registry.Host}/team/strata:1", "--raw", "--creds", "alice:" + AlicePassword)).GetProperty("config").GetProperty("digest").GetString());
    }
}
