using Strata.Integration.Tests.Support;

namespace Strata.Integration.Tests.Registry;

/// <summary>
/// <c>strata registry serve --proxy-upstream</c> in front of the CNCF distribution registry: strata and skopeo pull
/// through it, and once the upstream is stopped the cached images are still served (by tag and by digest) while
/// images never pulled are not.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PullThroughCacheTests : IDisposable
{
    private readonly StrataBinary _strata = new();
    private readonly string _tmp = Directory.CreateTempSubdirectory("strata-cache-it-").FullName;

    public void Dispose()
    {
        _strata.Dispose();
        Directory.Delete(_tmp, recursive: true);
    }

    [Fact]
    public async Task Cached_images_are_served_after_the_upstream_stops()
    {
        await using var upstream = await DistributionRegistry.StartAsync();
        var id = await TestImages.ImportBusyboxAsync(_strata, "peer/busybox:1");
        var layersId = await TestImages.LoadRandomAsync(_strata, "peer/layers:1", layers: 2, layerBytes: 1024 * 1024);
        var archive = Path.Combine(_tmp, "busybox.tar");
        var layersArchive = Path.Combine(_tmp, "layers.tar");
        await _strata.OkAsync("save", "-o", archive, "peer/busybox:1");
        await _strata.OkAsync("save", "-o", layersArchive, "peer/layers:1");
        await Skopeo.CopyAsync("docker-archive:" + archive, $"docker://{upstream.Host}/library/busybox:1");
        await Skopeo.CopyAsync("docker-archive:" + layersArchive, $"docker://{upstream.Host}/team/layers:1");
        await Skopeo.CopyAsync("docker-archive:" + archive, $"docker://{upstream.Host}/team/never:1");
        var upstreamDigest = (await Skopeo.InspectAsync($"docker://{upstream.Host}/team/layers:1")).GetProperty("Digest").GetString();

        await using var cache = await StrataRegistry.StartAsync(new StrataBinary(Path.Combine(_tmp, "cache-root")), extraArgs: ["--proxy-upstream", upstream.BaseUri.ToString()]);

        // Through the cache: strata pulls busybox, skopeo copies the layered image out to an OCI layout.
        using (var first = new StrataBinary())
        {
            await first.OkAsync("pull", $"{cache.Host}/library/busybox:1");
            Assert.Equal(id, await TestImages.ImageIdAsync(first, $"{cache.Host}/library/busybox:1"));
        }

        await Skopeo.CopyAsync($"docker://{cache.Host}/team/layers:1", $"oci:{Path.Combine(_tmp, "layout")}:1");
        Assert.Equal(upstreamDigest, (await Skopeo.InspectAsync($"docker://{cache.Host}/team/layers:1")).GetProperty("Digest").GetString());

        await upstream.StopAsync();

        // Upstream gone: what was pulled is still served, by tag and by digest, to strata and skopeo.
        using (var offline = new StrataBinary())
        {
            await offline.OkAsync("pull", $"{cache.Host}/library/busybox:1");
            Assert.Equal(id, await TestImages.ImageIdAsync(offline, $"{cache.Host}/library/busybox:1"));
            await offline.OkAsync("pull", $"{cache.Host}/team/layers@{upstreamDigest}");
            await offline.OkAsync("pull", $"{cache.Host}/team/layers:1");
            Assert.Equal(layersId, await TestImages.ImageIdAsync(offline, $"{cache.Host}/team/layers:1"));
            Assert.EndsWith("No problems found.", (await offline.OkAsync("system", "check")).Trim());
            Assert.NotEqual(0, (await offline.RunAsync("pull", $"{cache.Host}/team/never:1")).ExitCode);
        }

        await Skopeo.CopyAsync($"docker://{cache.Host}/team/layers:1", $"oci:{Path.Combine(_tmp, "layout2")}:1");
        Assert.Equal(upstreamDigest, (await Skopeo.InspectAsync($"docker://{cache.Host}/team/layers:1")).GetProperty("Digest").GetString());
    }
}
