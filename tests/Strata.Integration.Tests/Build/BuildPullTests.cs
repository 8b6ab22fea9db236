using Strata.Integration.Tests.Support;

namespace Strata.Integration.Tests.Build;

/// <summary>
/// <c>strata build</c> pulls what its FROM and <c>COPY --from=IMAGE</c> name when the store lacks it, from Strata's
/// own registry with a login in config.json, with docker's pull progress lines; <c>--pull</c> checks the registry
/// for a newer image even when one is stored.
/// </summary>
[Trait("Category", "Integration")]
public sealed class BuildPullTests : IDisposable
{
    private const string Password = "builder-Secret-1";
    private readonly StrataBinary _pusher = new();
    private readonly StrataBinary _builder = new();
    private readonly string _tmp = Directory.CreateTempSubdirectory("strata-build-pull-it-").FullName;

    public void Dispose()
    {
        _pusher.Dispose();
        _builder.Dispose();
        Directory.Delete(_tmp, recursive: true);
    }

    private Dictionary<string, string> Env(string who) => new() { ["DOCKER_CONFIG"] = Path.Combine(_tmp, who + "-docker-config") };

    private async Task<ProcessResult> RunAsync(StrataBinary strata, string who, params string[] args) =>
        await strata.RunAsync(args, null, Env(who), TimeSpan.FromMinutes(5));

    private async Task<string> OkAsync(StrataBinary strata, string who, params string[] args) =>
        (await RunAsync(strata, who, args)).EnsureSuccess("strata " + string.Join(' ', args)).Stdout;

    private string Context(string dockerfile)
    {
        var dir = Path.Combine(_tmp, "ctx-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "Dockerfile"), dockerfile);
        return dir;
    }

    [Fact]
    public async Task Build_pulls_a_missing_base_with_a_login_and_pull_rechecks_it()
    {
        var dataDir = Path.Combine(_tmp, "registry");
        (await _pusher.RunAsync(["registry", "--data-dir", dataDir, "user", "add", "dev", "--password-stdin"], Password)).EnsureSuccess("user add");
        await using var registry = await StrataRegistry.StartAsync(_pusher, dataDir, null, "--auth", "basic");
        var baseName = $"{registry.Host}/team/base:1";
        var toolsName = $"{registry.Host}/team/tools:1";

        // The pusher logs in and pushes a base image and a tools image; the builder's store has neither.
        (await _pusher.RunAsync(["login", "-u", "dev", "--password-stdin", registry.Host], Password + "\n", Env("pusher"))).EnsureSuccess("login");
        await TestImages.ImportBusyboxAsync(_pusher, baseName);
        await OkAsync(_pusher, "pusher", "push", baseName);
        await OkAsync(_pusher, "pusher", "build", "-t", toolsName, Context($"FROM {baseName}\nRUN echo tool > /tool.txt\n"));
        await OkAsync(_pusher, "pusher", "push", toolsName);

        var ctx = Context($"FROM {baseName}\nCOPY --from={toolsName} /tool.txt /tool.txt\nRUN cat /tool.txt /version.txt > /seen.txt 2>/dev/null; echo built >> /seen.txt\n");

        // Without a login the pull is refused with one clear line.
        var anonymous = await RunAsync(_builder, "builder", "build", "-t", "app:1", ctx);
        Assert.NotEqual(0, anonymous.ExitCode);
        Assert.Contains("team/base", anonymous.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", anonymous.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("not available in this build", anonymous.Stderr, StringComparison.Ordinal);

        // With a login: both images are pulled with docker's progress lines, then the build runs.
        (await _builder.RunAsync(["login", "-u", "dev", "--password-stdin", registry.Host], Password + "\n", Env("builder"))).EnsureSuccess("login");
        var first = await OkAsync(_builder, "builder", "build", "-t", "app:1", ctx);
        Assert.Contains("1: Pulling from team/base", first, StringComparison.Ordinal);
        Assert.Contains("1: Pulling from team/tools", first, StringComparison.Ordinal);
        Assert.Contains("Pull complete", first, StringComparison.Ordinal);
        Assert.Contains($"Status: Downloaded newer image for {baseName}", first, StringComparison.Ordinal);
        Assert.Contains($"Status: Downloaded newer image for {toolsName}", first, StringComparison.Ordinal);
        Assert.Contains("Successfully tagged app:1", first, StringComparison.Ordinal);
        Assert.Equal("tool\nbuilt\n", await OkAsync(_builder, "builder", "run", "--rm", "app:1", "cat", "/seen.txt"));
        Assert.Contains($"{registry.Host}/team/base", await OkAsync(_builder, "builder", "images"), StringComparison.Ordinal);

        // A newer base in the registry: a plain build keeps the stored one, --pull fetches the new one.
        await OkAsync(_pusher, "pusher", "build", "-t", baseName, Context($"FROM {baseName}\nRUN echo v2 > /version.txt\n"));
        await OkAsync(_pusher, "pusher", "push", baseName);

        var cached = await OkAsync(_builder, "builder", "build", "-t", "app:2", ctx);
        Assert.DoesNotContain("Pulling from", cached, StringComparison.Ordinal);
        Assert.Equal("tool\nbuilt\n", await OkAsync(_builder, "builder", "run", "--rm", "app:2", "cat", "/seen.txt"));

        var pulled = await OkAsync(_builder, "builder", "build", "--pull", "-t", "app:3", ctx);
        Assert.Contains($"Status: Downloaded newer image for {baseName}", pulled, StringComparison.Ordinal);
        Assert.Contains($"Status: Image is up to date for {toolsName}", pulled, StringComparison.Ordinal);
        Assert.Equal("tool\nv2\nbuilt\n", await OkAsync(_builder, "builder", "run", "--rm", "app:3", "cat", "/seen.txt"));

        // Nothing changed upstream: --pull checks and finds it up to date.
        var again = await OkAsync(_builder, "builder", "build", "--pull", "-t", "app:4", ctx);
        Assert.Contains($"Status: Image is up to date for {baseName}", again, StringComparison.Ordinal);
    }
}
