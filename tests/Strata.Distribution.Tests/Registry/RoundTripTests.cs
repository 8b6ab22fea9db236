using System.Collections.Concurrent;
using System.Text;
using Strata.Distribution.Pull;
using Strata.Distribution.Push;
using Strata.Distribution.Tests.Support;
using Strata.Oci;
using Strata.Storage.Images;
using Strata.Storage.Layers;

namespace Strata.Distribution.Tests.Registry;

/// <summary>Push to and pull from a real CNCF distribution over plain HTTP on loopback.</summary>
[Trait("Category", "Integration")]
public sealed class RoundTripTests : IAsyncLifetime
{
    private TestRegistry _registry = null!;

    public async Task InitializeAsync() => _registry = await TestRegistry.StartAsync();

    public Task DisposeAsync()
    {
        _registry.Dispose();
        return Task.CompletedTask;
    }

    private static IReadOnlyList<IReadOnlyDictionary<string, byte[]>> ThreeLayers() =>
    [
        new Dictionary<string, byte[]> { ["etc/os-release"] = "NAME=strata-test\n"u8.ToArray(), ["bin/tool"] = TestStore.Random(300_000) },
        new Dictionary<string, byte[]> { ["usr/share/data.bin"] = TestStore.Random(1_500_000) },
        new Dictionary<string, byte[]> { ["app/main.txt"] = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("compressible text ", 50_000))) },
    ];

    [Theory]
    [InlineData(ImageFormat.Docker, LayerCompression.Gzip)]
    [InlineData(ImageFormat.Oci, LayerCompression.Gzip)]
    [InlineData(ImageFormat.Oci, LayerCompression.Zstd)]
    public async Task Pushed_multi_layer_image_pulls_back_into_an_empty_store_unchanged(ImageFormat format, LayerCompression compression)
    {
        await using var source = await TestStore.CreateAsync();
        var name = $"{_registry.Host}/rt/app:{format.ToString().ToLowerInvariant()}-{compression.ToString().ToLowerInvariant()}";
        var image = await source.MakeImageAsync(name, ThreeLayers(), format, compression);
        var events = new ConcurrentQueue<TransferEvent>();
        var pushed = await source.Engine.ImagePusher(TestRegistries.Factory(), TestRegistries.Policy())
            .PushAsync(Reference.Parse(name), new Collect(events));
        Assert.Equal(image.ManifestDigest, pushed.Digest);
        Assert.Equal(3, events.Count(e => e.Status == TransferStatus.Pushed));

        await using var target = await TestStore.CreateAsync();
        var pulled = await target.Engine.ImagePuller(TestRegistries.Factory(), TestRegistries.Policy()).PullAsync(Reference.Parse(name));
        Assert.False(pulled.UpToDate);
        Assert.Equal(image.Id, pulled.Image.Id);
        Assert.Equal(image.ManifestDigest, pulled.Image.ManifestDigest);
        Assert.Equal(pushed.Digest, pulled.Digest);
        Assert.Contains(pulled.Image.Names, n => n.ToString() == Reference.Parse(name).ToString());
        Assert.Contains(pulled.Image.RepoDigests, d => d.Digest == pushed.Digest);
        Assert.Equal(await source.LayerTreesAsync(image), await target.LayerTreesAsync(pulled.Image));
        await target.AssertConsistentAsync();

        var again = await target.Engine.ImagePuller(TestRegistries.Factory(), TestRegistries.Policy()).PullAsync(Reference.Parse(name));
        Assert.True(again.UpToDate);
    }

    [Fact]
    public async Task Layers_already_in_the_store_are_not_downloaded_again()
    {
        await using var source = await TestStore.CreateAsync();
        var baseName = $"{_registry.Host}/rt/base:1";
        var layers = ThreeLayers();
        await source.MakeImageAsync(baseName, layers.Take(2).ToList());
        var full = $"{_registry.Host}/rt/full:1";
        await source.MakeImageAsync(full, layers);
        var pusher = source.Engine.ImagePusher(TestRegistries.Factory(), TestRegistries.Policy());
        await pusher.PushAsync(Reference.Parse(baseName));
        await pusher.PushAsync(Reference.Parse(full));

        await using var target = await TestStore.CreateAsync();
        var puller = target.Engine.ImagePuller(TestRegistries.Factory(), TestRegistries.Policy());
        await puller.PullAsync(Reference.Parse(baseName));
        var events = new ConcurrentQueue<TransferEvent>();
        await puller.PullAsync(Reference.Parse(full), progress: new Collect(events));
        Assert.Equal(2, events.Count(e => e.Status == TransferStatus.AlreadyExists));
        Assert.Single(events, e => e.Status == TransferStatus.PullingFsLayer);
        await target.AssertConsistentAsync();
    }

    [Fact]
    public async Task Push_to_another_repository_mounts_and_a_second_push_finds_layers_there()
    {
        await using var store = await TestStore.CreateAsync();
        var first = $"{_registry.Host}/team/one:1";
        var image = await store.MakeImageAsync(first, ThreeLayers());
        var pusher = store.Engine.ImagePusher(TestRegistries.Factory(), TestRegistries.Policy());
        await pusher.PushAsync(Reference.Parse(first));

        var second = Reference.Parse($"{_registry.Host}/team/two:1");
        await store.Engine.Images.TagAsync(image.Id.ToString(), second);
        var events = new ConcurrentQueue<TransferEvent>();
        await pusher.PushAsync(second, new Collect(events));
        Assert.Equal(3, events.Count(e => e.Status == TransferStatus.MountedFrom && e.Detail == "team/one"));
        Assert.DoesNotContain(events, e => e.Status == TransferStatus.Pushed);

        var again = new ConcurrentQueue<TransferEvent>();
        await pusher.PushAsync(second, new Collect(again));
        Assert.Equal(3, again.Count(e => e.Status == TransferStatus.LayerAlreadyExists));

        await using var target = await TestStore.CreateAsync();
        var pulled = await target.Engine.ImagePuller(TestRegistries.Factory(), TestRegistries.Policy()).PullAsync(second);
        Assert.Equal(image.Id, pulled.Image.Id);
    }

    [Fact]
    public async Task Chunked_upload_with_small_chunks_round_trips()
    {
        await using var store = await TestStore.CreateAsync();
        var name = $"{_registry.Host}/rt/chunked:1";
        var image = await store.MakeImageAsync(name, ThreeLayers());
        var policy = TestRegistries.Policy(chunk: 256 * 1024) with { MonolithicMaxSize = 0 };
        await store.Engine.ImagePusher(TestRegistries.Factory(), policy).PushAsync(Reference.Parse(name));

        await using var target = await TestStore.CreateAsync();
        var pulled = await target.Engine.ImagePuller(TestRegistries.Factory(), TestRegistries.Policy()).PullAsync(Reference.Parse(name));
        Assert.Equal(await store.LayerTreesAsync(image), await target.LayerTreesAsync(pulled.Image));
    }

    [Fact]
    public async Task Tags_are_listed_across_pages()
    {
        await using var store = await TestStore.CreateAsync();
        var image = await store.MakeImageAsync($"{_registry.Host}/rt/tags:t0", [new Dictionary<string, byte[]> { ["f"] = "x"u8.ToArray() }]);
        var pusher = store.Engine.ImagePusher(TestRegistries.Factory(), TestRegistries.Policy());
        var expected = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var r = Reference.Parse($"{_registry.Host}/rt/tags:t{i}");
            await store.Engine.Images.TagAsync(image.Id.ToString(), r);
            await pusher.PushAsync(r);
            expected.Add($"t{i}");
        }

        using var client = await TestRegistries.Factory().ConnectAsync(TestRegistries.Factory().PushEndpoint(_registry.Host));
        var tags = new List<string>();
        await foreach (var t in client.Tags.ListAsync("rt/tags", pageSize: 2))
        {
            tags.Add(t);
        }

        Assert.Equal(expected, tags.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Unknown_tag_is_NotFound_with_the_OCI_code_and_stores_nothing()
    {
        await using var store = await TestStore.CreateAsync();
        var e = await Assert.ThrowsAnyAsync<StrataException>(() =>
            store.Engine.ImagePuller(TestRegistries.Factory(), TestRegistries.Policy()).PullAsync(Reference.Parse($"{_registry.Host}/rt/none:nope")));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Contains(e.Code, new[] { "MANIFEST_UNKNOWN", "NAME_UNKNOWN" });
        Assert.Contains("not found", e.Message, StringComparison.Ordinal);
        Assert.Empty(await store.Engine.Images.ListAsync().ToListAsync());
    }

    private sealed class Collect(ConcurrentQueue<TransferEvent> sink) : IProgress<TransferEvent>
    {
        public void Report(TransferEvent value) => sink.Enqueue(value);
    }
}
