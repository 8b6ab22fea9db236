using Strata.Integration.Tests.Support;

namespace Strata.Integration.Tests.Distribution;

/// <summary>
/// A pull killed with SIGKILL in the middle of a large layer (served slowly through a <see cref="TcpRelay"/>)
/// leaves no image behind, and the next pull completes, fetching only what the first did not.
/// </summary>
[Trait("Category", "Integration")]
public sealed class InterruptedPullTests : IDisposable
{
    private const int LayerBytes = 48 * 1024 * 1024;
    private readonly StrataBinary _strata = new();
    private readonly StrataBinary _puller = new();

    public void Dispose()
    {
        _strata.Dispose();
        _puller.Dispose();
    }

    [Fact]
    public async Task A_killed_pull_leaves_no_image_and_the_next_pull_reuses_what_it_fetched()
    {
        await using var registry = await DistributionRegistry.StartAsync();
        var id = await TestImages.LoadRandomAsync(_strata, "big/image:1", layers: 1, layerBytes: LayerBytes);
        await _strata.OkAsync("tag", "big/image:1", $"{registry.Host}/big/image:1");
        await _strata.OkAsync("push", $"{registry.Host}/big/image:1");

        await using var relay = new TcpRelay(registry.Port) { BytesPerSecond = 12 * 1024 * 1024 };
        var name = $"{relay.Host}/big/image:1";
        await using (var pull = ServedProcess.Start(StrataBinary.Path, ["--root", _puller.Root, "pull", name]))
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (relay.DownstreamBytes < LayerBytes / 3 && DateTime.UtcNow < deadline && !pull.HasExited)
            {
                await Task.Delay(20);
            }

            Assert.False(pull.HasExited, "the pull finished before it could be interrupted:\n" + pull.Output);
            await pull.Kill9Async();
        }

        var fetchedBefore = relay.DownstreamBytes;
        Assert.InRange(fetchedBefore, LayerBytes / 3, LayerBytes - 1);

        // Nothing is visible: no name, no image, and the store is consistent.
        Assert.DoesNotContain("big/image", await _puller.OkAsync("images"));
        Assert.NotEqual(0, (await _puller.RunAsync("inspect", name)).ExitCode);
        Assert.EndsWith("No problems found.", (await _puller.OkAsync("system", "check")).Trim());

        // Full speed now: the pull completes and downloads roughly only the part it did not have.
        relay.BytesPerSecond = 0;
        relay.ResetCount();
        await _puller.OkAsync("pull", name);
        Assert.Equal(id, await TestImages.ImageIdAsync(_puller, name));
        Assert.True(relay.DownstreamBytes < LayerBytes - (fetchedBefore / 2), $"second pull downloaded {relay.DownstreamBytes} bytes of a {LayerBytes}-byte layer after {fetchedBefore} were fetched");
        Assert.EndsWith("No problems found.", (await _puller.OkAsync("system", "check")).Trim());
    }
}
