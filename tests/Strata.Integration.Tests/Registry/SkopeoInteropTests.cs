using Strata.Integration.Tests.Support;

namespace Strata.Integration.Tests.Registry;

/// <summary>
/// skopeo against <c>strata registry serve</c>: archives strata wrote go in, come out bit for bit (same manifest
/// digest) through the CNCF distribution registry and back, and strata pulls them into an empty store.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SkopeoInteropTests : IAsyncLifetime
{
    private readonly StrataBinary _strata = new();
    private readonly StrataBinary _empty = new();
    private readonly string _tmp = Directory.CreateTempSubdirectory("strata-skopeo-it-").FullName;
    private StrataRegistry _registry = null!;

    public async Task InitializeAsync() => _registry = await StrataRegistry.StartAsync(_strata);

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        _strata.Dispose();
        _empty.Dispose();
        Directory.Delete(_tmp, recursive: true);
    }

    [Fact]
    public async Task Skopeo_copies_strata_archives_in_and_strata_pulls_them_into_an_empty_store()
    {
        var id = await TestImages.ImportBusyboxAsync(_strata, "peer/busybox:1");
        var docker = Path.Combine(_tmp, "d.tar");
        var oci = Path.Combine(_tmp, "o.tar");
        await _strata.OkAsync("save", "-o", docker, "peer/busybox:1");
        await _strata.OkAsync("save", "--format", "oci-archive", "-o", oci, "peer/busybox:1");
        var diffId = (await _strata.OkAsync("inspect", "-f", "{{index .RootFS.Layers 0}}", "peer/busybox:1")).Trim();

        await Skopeo.CopyAsync("docker-archive:" + docker, $"docker://{_registry.Host}/skopeo/busybox:v2");
        await Skopeo.CopyAsync("oci-archive:" + oci, $"docker://{_registry.Host}/skopeo/busybox:oci");

        foreach (var tag in new[] { "v2", "oci" })
        {
            var inspect = await Skopeo.InspectAsync($"docker://{_registry.Host}/skopeo/busybox:{tag}");
            Assert.Equal("linux", inspect.GetProperty("Os").GetString());
            Assert.Single(inspect.GetProperty("Layers").EnumerateArray());
            var raw = await Skopeo.InspectAsync($"docker://{_registry.Host}/skopeo/busybox:{tag}", "--raw");
            Assert.Equal(id, raw.GetProperty("config").GetProperty("digest").GetString());
            var config = await Skopeo.InspectAsync($"docker://{_registry.Host}/skopeo/busybox:{tag}", "--config", "--raw");
            Assert.Equal(diffId, config.GetProperty("rootfs").GetProperty("diff_ids")[0].GetString());

            // An empty store pulls what skopeo pushed: same image ID, every blob verifies.
            var name = $"{_registry.Host}/skopeo/busybox:{tag}";
            await _empty.OkAsync("pull", name);
            Assert.Equal(id, await TestImages.ImageIdAsync(_empty, name));
        }

        Assert.EndsWith("No problems found.", (await _empty.OkAsync("system", "check")).Trim());
        Assert.Contains("0 blobs, 0 manifests", await _registry.AdminOkAsync("gc", "--dry-run"));
    }

    [Fact]
    public async Task Skopeo_copies_out_to_distribution_and_back_keeping_the_image()
    {
        await TestImages.LoadRandomAsync(_strata, "peer/layers:1", layers: 3, layerBytes: 512 * 1024);
        var mine = $"{_registry.Host}/team/layers:1";
        await _strata.OkAsync("tag", "peer/layers:1", mine);
        await _strata.OkAsync("push", mine);
        var id = await TestImages.ImageIdAsync(_strata, "peer/layers:1");
        Assert.Equal(id, (await Skopeo.InspectAsync("docker://" + mine, "--raw")).GetProperty("config").GetProperty("digest").GetString());

        // Out: skopeo compresses layers strata pushed uncompressed, so the manifest may change, the image ID may not.
        await using var distribution = await DistributionRegistry.StartAsync();
        await Skopeo.CopyAsync("docker://" + mine, $"docker://{distribution.Host}/copied/layers:1");
        var there = await Skopeo.InspectAsync($"docker://{distribution.Host}/copied/layers:1");
        Assert.Equal(4, there.GetProperty("Layers").GetArrayLength());
        Assert.Equal(id, (await Skopeo.InspectAsync($"docker://{distribution.Host}/copied/layers:1", "--raw")).GetProperty("config").GetProperty("digest").GetString());

        // Back: skopeo's blob-info cache may swap layers for forms it knows this registry already has, so the
        // manifest digest is skopeo's choice; the image (config digest, layers) is the same.
        await Skopeo.CopyAsync($"docker://{distribution.Host}/copied/layers:1", $"docker://{_registry.Host}/back/layers:1");
        Assert.Equal(4, (await Skopeo.InspectAsync($"docker://{_registry.Host}/back/layers:1")).GetProperty("Layers").GetArrayLength());
        Assert.Equal(id, (await Skopeo.InspectAsync($"docker://{_registry.Host}/back/layers:1", "--raw")).GetProperty("config").GetProperty("digest").GetString());
        var tags = await Skopeo.RunAsync("list-tags", "--tls-verify=false", $"docker://{_registry.Host}/back/layers");
        Assert.Contains("\"1\"", tags.EnsureSuccess("skopeo list-tags").Stdout);

        // Blobs came back by cross-repository copy or upload: the copy pulls and verifies.
        await _empty.OkAsync("pull", $"{_registry.Host}/back/layers:1");
        Assert.Equal(id, await TestImages.ImageIdAsync(_empty, $"{_registry.Host}/back/layers:1"));
        Assert.EndsWith("No problems found.", (await _empty.OkAsync("system", "check")).Trim());
    }
}
