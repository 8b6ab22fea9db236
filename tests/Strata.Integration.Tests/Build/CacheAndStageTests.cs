namespace Strata.Integration.Tests.Build;

/// <summary>The step cache (hits, invalidation by inputs and args, --no-cache), multi-stage builds, --squash, -q, --iidfile.</summary>
[Trait("Category", "Integration")]
public sealed class CacheAndStageTests(BuildStore store) : IClassFixture<BuildStore>
{
    [Fact]
    public async Task Second_build_is_all_cache_until_an_input_changes()
    {
        var ctx = store.Context("FROM busybox\nARG V=1\nRUN echo run-$V > /r.txt\nCOPY a.txt /a.txt\nRUN cat /a.txt > /copy-of-a\n", new Dictionary<string, string> { ["a.txt"] = "one\n" });
        var first = await store.BuildOkAsync(ctx, "-t", "cache:1");
        Assert.Equal(2, Count(first.Stdout, "---> Running in"));

        var second = await store.BuildOkAsync(ctx, "-t", "cache:2");
        Assert.Equal(0, Count(second.Stdout, "---> Running in"));
        Assert.Equal(4, Count(second.Stdout, "---> Using cache")); // ARG, RUN, COPY, RUN
        Assert.Equal(await IdAsync("cache:1"), await IdAsync("cache:2"));

        // A changed file misses from its COPY on; ARG and the RUN before it still hit.
        await File.WriteAllTextAsync(Path.Combine(ctx, "a.txt"), "two\n");
        var third = await store.BuildOkAsync(ctx, "-t", "cache:3");
        Assert.Equal(2, Count(third.Stdout, "---> Using cache"));
        Assert.Equal(1, Count(third.Stdout, "---> Running in"));
        Assert.Equal("two\n", await CatAsync("cache:3", "copy-of-a"));

        // A different build arg in scope misses at the RUN that uses it.
        var fourth = await store.BuildOkAsync(ctx, "--build-arg", "V=2", "-t", "cache:4");
        Assert.Equal(2, Count(fourth.Stdout, "---> Running in"));
        Assert.Equal("run-2\n", await CatAsync("cache:4", "r.txt"));

        var noCache = await store.BuildOkAsync(ctx, "--no-cache", "-t", "cache:5");
        Assert.Equal(0, Count(noCache.Stdout, "---> Using cache"));
    }

    [Fact]
    public async Task Multi_stage_copies_from_a_stage_and_target_stops_early()
    {
        var ctx = store.Context("""
            FROM busybox AS builder
            RUN mkdir /out && echo artifact > /out/bin.txt && dd if=/dev/zero of=/out/junk bs=1k count=64
            FROM busybox AS final
            COPY --from=builder /out/bin.txt /bin.txt
            CMD ["cat", "/bin.txt"]
            """);
        await store.BuildOkAsync(ctx, "-t", "stages:final");
        var final = await store.FileTreeAsync("stages:final");
        Assert.True(final.ContainsKey("bin.txt"));
        Assert.False(final.ContainsKey("out/junk"));
        var (manifest, _) = await store.ReadAsync("stages:final");
        var (baseManifest, _) = await store.ReadAsync("busybox:latest");
        Assert.Equal(baseManifest.Layers.Count + 1, manifest.Layers.Count);

        await store.BuildOkAsync(ctx, "--target", "builder", "-t", "stages:builder");
        var builder = await store.FileTreeAsync("stages:builder");
        Assert.True(builder.ContainsKey("out/junk"));

        var bad = await store.BuildAsync(ctx, "--target", "nosuch");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("nosuch", bad.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Squash_makes_one_layer_on_the_base_and_drops_deleted_files()
    {
        var ctx = store.Context("FROM busybox\nRUN dd if=/dev/zero of=/big bs=1k count=512\nRUN rm /big && echo kept > /kept\n");
        var iid = Path.Combine(store.Work, "iid-" + Guid.NewGuid().ToString("N"));
        var quiet = await store.BuildOkAsync(ctx, "--squash", "-q", "--iidfile", iid, "-t", "squashed:1");
        var id = (await File.ReadAllTextAsync(iid)).Trim();
        Assert.StartsWith("sha256:", id, StringComparison.Ordinal);
        Assert.Equal(id, quiet.Stdout.Trim());

        var (manifest, _) = await store.ReadAsync("squashed:1");
        var (baseManifest, _) = await store.ReadAsync("busybox:latest");
        Assert.Equal(baseManifest.Layers.Count + 1, manifest.Layers.Count);
        var layers = await store.LayerEntriesAsync("squashed:1");
        Assert.Contains(layers[^1], e => e.Path == "kept");
        Assert.DoesNotContain(layers[^1], e => e.Path.Contains("big", StringComparison.Ordinal));
    }

    private static int Count(string text, string what)
    {
        var n = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }

    private async Task<string> IdAsync(string name) => (await store.Strata.OkAsync("images", "-q", "--no-trunc", name)).Trim();

    private Task<string> CatAsync(string image, string path) => store.CatAsync(image, path);
}
