using Strata.Integration.Tests.Images;
using Strata.Integration.Tests.Support;

namespace Strata.Integration.Tests.Distribution;

/// <summary>
/// strata's client against the CNCF distribution registry, with images other tools put there: skopeo in OCI and
/// Docker v2 schema 2 formats, podman push, and a two-platform index that <c>--platform</c> chooses from.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PullFromDistributionTests : IAsyncLifetime
{
    private readonly StrataBinary _strata = new();
    private readonly string _tmp = Directory.CreateTempSubdirectory("strata-dist-it-").FullName;
    private DistributionRegistry _registry = null!;

    public async Task InitializeAsync() => _registry = await DistributionRegistry.StartAsync();

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        _strata.Dispose();
        Directory.Delete(_tmp, recursive: true);
    }

    [Theory]
    [InlineData("oci", "application/vnd.oci.image.manifest.v1+json")]
    [InlineData("v2s2", "application/vnd.docker.distribution.manifest.v2+json")]
    public async Task Pulls_what_skopeo_pushed_in_either_manifest_format(string format, string mediaType)
    {
        var id = await TestImages.LoadRandomAsync(_strata, "peer/layers:1", layers: 2, layerBytes: 512 * 1024);
        var diffIds = (await _strata.OkAsync("inspect", "-f", "{{json .RootFS.Layers}}", "peer/layers:1")).Trim();
        var archive = Path.Combine(_tmp, "layers.tar");
        await _strata.OkAsync("save", "-o", archive, "peer/layers:1");
        var name = $"{_registry.Host}/skopeo/{format}:1";
        await Skopeo.CopyAsync("docker-archive:" + archive, "docker://" + name, "--format", format);
        var raw = await Skopeo.InspectAsync("docker://" + name, "--raw");
        Assert.Equal(mediaType, raw.GetProperty("mediaType").GetString());
        var pushedConfig = raw.GetProperty("config").GetProperty("digest").GetString();

        using var empty = new StrataBinary();
        await empty.OkAsync("pull", name);
        // The image ID is the config skopeo pushed: strata's own config for v2s2; for OCI skopeo re-serializes the
        // config (another digest) but the layers (diffIDs) are the same.
        Assert.Equal(pushedConfig, await TestImages.ImageIdAsync(empty, name));
        if (format == "v2s2")
        {
            Assert.Equal(id, pushedConfig);
        }

        Assert.Equal(diffIds, (await empty.OkAsync("inspect", "-f", "{{json .RootFS.Layers}}", name)).Trim());
        var digest = (await Skopeo.InspectAsync("docker://" + name)).GetProperty("Digest").GetString();
        Assert.Contains(digest!, await empty.OkAsync("inspect", "-f", "{{json .RepoDigests}}", name));
        Assert.EndsWith("No problems found.", (await empty.OkAsync("system", "check")).Trim());
    }

    [Fact]
    public async Task Pulls_what_podman_pushed()
    {
        using var podman = new IsolatedPodman();
        var id = await TestImages.ImportBusyboxAsync(_strata, "peer/busybox:1");
        var diffIds = (await _strata.OkAsync("inspect", "-f", "{{json .RootFS.Layers}}", "peer/busybox:1")).Trim();
        var archive = Path.Combine(_tmp, "busybox.tar");
        await _strata.OkAsync("save", "-o", archive, "peer/busybox:1");
        await podman.OkAsync("load", "-i", archive);
        var name = $"{_registry.Host}/podman/busybox:1";
        await podman.OkAsync("tag", "peer/busybox:1", name);
        await podman.OkAsync("push", "--tls-verify=false", name);

        using var empty = new StrataBinary();
        await empty.OkAsync("pull", name);
        Assert.Equal(diffIds, (await empty.OkAsync("inspect", "-f", "{{json .RootFS.Layers}}", name)).Trim());
        Assert.Equal("sh", (await empty.OkAsync("inspect", "-f", "{{index .Config.Cmd 0}}", name)).Trim());
        // podman pushes the config it read (same image ID, unless it had to rewrite it: then the layers still match).
        var pushedConfig = (await Skopeo.InspectAsync("docker://" + name, "--raw")).GetProperty("config").GetProperty("digest").GetString();
        Assert.Equal(pushedConfig, await TestImages.ImageIdAsync(empty, name));
        Assert.Equal(id, pushedConfig);
        Assert.EndsWith("No problems found.", (await empty.OkAsync("system", "check")).Trim());
    }

    [Fact]
    public async Task Platform_picks_the_matching_image_of_a_multi_platform_index()
    {
        var layout = Path.Combine(_tmp, "layout");
        var diffIds = MultiPlatformLayout.Write(layout, "amd64", "arm64");
        var name = $"{_registry.Host}/multi/arch:1";
        await Skopeo.CopyAsync($"oci:{layout}:multi", "docker://" + name, "--all");
        var raw = await Skopeo.InspectAsync("docker://" + name, "--raw");
        Assert.Equal(2, raw.GetProperty("manifests").GetArrayLength());

        foreach (var arch in new[] { "arm64", "amd64" })
        {
            using var store = new StrataBinary();
            await store.OkAsync("pull", "--platform", "linux/" + arch, name);
            Assert.Equal(arch, (await store.OkAsync("inspect", "-f", "{{.Architecture}}", name)).Trim());
            Assert.Equal($"[\"{diffIds[arch]}\"]", (await store.OkAsync("inspect", "-f", "{{json .RootFS.Layers}}", name)).Trim());
            Assert.EndsWith("No problems found.", (await store.OkAsync("system", "check")).Trim());
        }

        using var none = new StrataBinary();
        var s390 = await none.RunAsync("pull", "--platform", "linux/s390x", name);
        Assert.NotEqual(0, s390.ExitCode);
        Assert.Contains("linux/s390x", s390.Stderr);
    }
}
