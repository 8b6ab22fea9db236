namespace Strata.Integration.Tests.Build;

/// <summary>
/// The seed users' question: why does <c>RUN rm</c> in a second RUN not make the image smaller? The two-RUN
/// image is ~50 MB larger and the build says why; the chained RUN is not and does not warn.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SeedPairTests(BuildStore store) : IClassFixture<BuildStore>
{
    [Fact]
    public async Task Deleting_in_a_later_RUN_keeps_the_bytes_and_warns()
    {
        var split = store.Context("FROM busybox\nMAINTAINER x\nWORKDIR /home\nRUN dd if=/dev/zero of=/big bs=1M count=50\nRUN rm /big\n");
        var chained = store.Context("FROM busybox\nMAINTAINER x\nWORKDIR /home\nRUN dd if=/dev/zero of=/big bs=1M count=50 && rm /big\n");

        var first = await store.BuildOkAsync(split, "-t", "seed:split");
        var second = await store.BuildOkAsync(chained, "-t", "seed:chained");

        var (splitManifest, splitConfig) = await store.ReadAsync("seed:split");
        var (chainedManifest, _) = await store.ReadAsync("seed:chained");
        var splitSize = splitManifest.Layers.Sum(l => l.Size);
        var chainedSize = chainedManifest.Layers.Sum(l => l.Size);

        // Layer sizes are compressed; zeros compress well, so compare the uncompressed tars instead.
        var splitTree = await store.LayerEntriesAsync("seed:split");
        var chainedTree = await store.LayerEntriesAsync("seed:chained");
        var splitBytes = splitTree.Sum(l => l.Sum(e => e.Size));
        var chainedBytes = chainedTree.Sum(l => l.Sum(e => e.Size));
        Assert.InRange(splitBytes - chainedBytes, 50L * 1024 * 1024, 51L * 1024 * 1024);
        Assert.True(splitSize >= chainedSize);

        Assert.Contains("deletes /big added by layer", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("52.4MB are still in the image", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("Do both in one RUN", first.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("[Warning]", second.Stdout, StringComparison.Ordinal);

        // MAINTAINER sets the author; the deleting RUN records a layer holding only the whiteout.
        Assert.Equal("x", splitConfig.Author);
        Assert.Contains(splitTree[^1], e => e.Path == "big" && e.Whiteout == Strata.Storage.Layers.LayerWhiteout.File);
    }
}
