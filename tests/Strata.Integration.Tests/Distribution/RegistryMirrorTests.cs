using Strata.Integration.Tests.Support;

namespace Strata.Integration.Tests.Distribution;

/// <summary>
/// <c>registry-mirrors</c> from a daemon.json given by <c>STRATA_DAEMON_JSON</c>: a docker.io pull goes to the
/// mirror, falls over to the next mirror when one is down, and only when every mirror fails goes to docker.io. No
/// packet leaves the machine: the client's HTTPS proxy is a <see cref="ProxyTrap"/> that records where strata tried
/// to go and forwards nothing (loopback is exempt through NO_PROXY).
/// </summary>
[Trait("Category", "Integration")]
public sealed class RegistryMirrorTests : IAsyncLifetime
{
    private readonly StrataBinary _strata = new();
    private readonly string _tmp = Directory.CreateTempSubdirectory("strata-mirror-it-").FullName;
    private readonly ProxyTrap _trap = new();
    private DistributionRegistry _mirror = null!;
    private string _id = null!;

    public async Task InitializeAsync()
    {
        _mirror = await DistributionRegistry.StartAsync();
        _id = await TestImages.ImportBusyboxAsync(_strata, "peer/busybox:1");
        var archive = Path.Combine(_tmp, "busybox.tar");
        await _strata.OkAsync("save", "-o", archive, "peer/busybox:1");
        await Skopeo.CopyAsync("docker-archive:" + archive, $"docker://{_mirror.Host}/library/busybox:mirrored");
    }

    public async Task DisposeAsync()
    {
        await _mirror.DisposeAsync();
        await _trap.DisposeAsync();
        _strata.Dispose();
        Directory.Delete(_tmp, recursive: true);
    }

    private Dictionary<string, string> Env(params string[] mirrors)
    {
        var config = Path.Combine(_tmp, $"daemon-{Guid.NewGuid():N}.json");
        File.WriteAllText(config, $"{{\"registry-mirrors\":[{string.Join(',', mirrors.Select(m => $"\"{m}\""))}]}}");
        return new Dictionary<string, string>(_trap.Environment)
        {
            ["STRATA_DAEMON_JSON"] = config,
            ["DOCKER_CONFIG"] = Path.Combine(_tmp, "docker-config"),
        };
    }

    /// <summary>The trap only proves anything if strata honours the proxy variables: a non-127.0.0.1 loopback address must go to it.</summary>
    private async Task AssertProxyIsHonouredAsync()
    {
        using var store = new StrataBinary();
        var r = await store.RunAsync(["pull", $"127.0.0.2:{Fixtures.FreePort()}/probe:1"], null, Env());
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains(_trap.Requests, l => l.StartsWith("CONNECT 127.0.0.2:", StringComparison.Ordinal) || l.Contains("//127.0.0.2:", StringComparison.Ordinal));
    }

    private IEnumerable<string> DockerHubAttempts => _trap.Requests.Where(l => l.Contains("docker.io", StringComparison.Ordinal));

    [Fact]
    public async Task A_docker_io_pull_is_served_by_the_mirror_without_contacting_docker_io()
    {
        await AssertProxyIsHonouredAsync();
        using var store = new StrataBinary();
        (await store.RunAsync(["pull", "busybox:mirrored"], null, Env(_mirror.BaseUri.ToString()))).EnsureSuccess("pull through the mirror");
        Assert.Equal(_id, await TestImages.ImageIdAsync(store, "busybox:mirrored"));
        Assert.Equal(_id, await TestImages.ImageIdAsync(store, "docker.io/library/busybox:mirrored"));
        Assert.Empty(DockerHubAttempts);
    }

    [Fact]
    public async Task A_mirror_that_is_down_falls_over_to_the_next_mirror()
    {
        await AssertProxyIsHonouredAsync();
        using var store = new StrataBinary();
        var down = $"http://127.0.0.1:{Fixtures.FreePort()}";
        var pull = (await store.RunAsync(["pull", "busybox:mirrored"], null, Env(down, _mirror.BaseUri.ToString()))).EnsureSuccess("pull with a dead first mirror");
        Assert.Contains(down.Replace("http://", string.Empty, StringComparison.Ordinal), pull.Stdout + pull.Stderr);
        Assert.Equal(_id, await TestImages.ImageIdAsync(store, "busybox:mirrored"));
        Assert.Empty(DockerHubAttempts);
    }

    [Fact]
    public async Task Only_when_every_mirror_fails_does_the_pull_go_to_docker_io()
    {
        await AssertProxyIsHonouredAsync();
        using var store = new StrataBinary();
        var pull = await store.RunAsync(["pull", "busybox:not-on-the-mirror"], null, Env(_mirror.BaseUri.ToString()));
        Assert.NotEqual(0, pull.ExitCode);
        // The fallback reached the trap (and stopped there), asking for docker.io's registry.
        Assert.Contains(DockerHubAttempts, l => l.StartsWith("CONNECT registry-1.docker.io:443", StringComparison.Ordinal));
        Assert.NotEqual(0, (await store.RunAsync("inspect", "busybox:not-on-the-mirror")).ExitCode);
    }
}
