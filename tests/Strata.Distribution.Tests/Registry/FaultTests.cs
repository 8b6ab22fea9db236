using System.Collections.Concurrent;
using Strata.Distribution.Tests.Support;
using Strata.Oci;
using Strata.Storage.Images;

namespace Strata.Distribution.Tests.Registry;

/// <summary>
/// Broken connections and corrupt blobs between the client and a real CNCF distribution: a <see cref="FaultProxy"/>
/// resets the connection in the middle of a blob, or the registry's stored blob is corrupted on disk.
/// </summary>
[Trait("Category", "Integration")]
public sealed class FaultTests : IAsyncLifetime
{
    private const int BigLayerBytes = 4 * 1024 * 1024;
    private const long DropAfter = 1024 * 1024;

    private TestRegistry _registry = null!;
    private FaultProxy _proxy = null!;

    public async Task InitializeAsync()
    {
        _registry = await TestRegistry.StartAsync();
        _proxy = new FaultProxy(_registry.Port);
    }

    public Task DisposeAsync()
    {
        _proxy.Dispose();
        _registry.Dispose();
        return Task.CompletedTask;
    }

    private static IReadOnlyList<IReadOnlyDictionary<string, byte[]>> TwoLayers() =>
    [
        new Dictionary<string, byte[]> { ["etc/os-release"] = "NAME=strata-fault\n"u8.ToArray() },
        new Dictionary<string, byte[]> { ["data/big.bin"] = TestStore.Random(BigLayerBytes) },
    ];

    /// <summary>Pushes a two-layer image (one random multi-MiB layer) straight to the registry; returns it and its big layer.</summary>
    private async Task<(ImageRecord Image, Descriptor BigLayer)> PushDirectAsync(TestStore store, string repoAndTag)
    {
        var name = $"{_registry.Host}/{repoAndTag}";
        var image = await store.MakeImageAsync(name, TwoLayers());
        await store.Engine.ImagePusher(TestRegistries.Factory(), TestRegistries.Policy()).PushAsync(Reference.Parse(name));
        var (manifest, _) = await store.Engine.Images.ReadAsync(image);
        var big = manifest.Layers.MaxBy(l => l.Size)!;
        Assert.True(big.Size > 3 * DropAfter, $"the big layer is only {big.Size} bytes");
        return (image, big);
    }

    private static Reference Via(FaultProxy proxy, string repoAndTag) => Reference.Parse($"{proxy.Host}/{repoAndTag}");

    [Fact]
    public async Task Pull_cut_mid_blob_resumes_with_a_Range_request_and_stores_the_exact_image()
    {
        await using var source = await TestStore.CreateAsync();
        var (image, big) = await PushDirectAsync(source, "fault/pull:1");

        _proxy.DropOnce(FaultDirection.Response, DropAfter);
        await using var target = await TestStore.CreateAsync();
        var events = new ConcurrentQueue<TransferEvent>();
        var pulled = await target.Engine.ImagePuller(TestRegistries.Factory(), TestRegistries.Policy())
            .PullAsync(Via(_proxy, "fault/pull:1"), progress: new Collect(events));

        Assert.Equal(1, _proxy.Drops);
        Assert.Contains(events, e => e.Status == TransferStatus.Retrying && e.Id == big.Digest.Encoded[..12]);
        var resumedAt = _proxy.Ranges.Select(ParseRangeStart).Where(s => s > 0).ToList();
        Assert.True(resumedAt.Count > 0, "no resuming Range request was seen: " + string.Join(", ", _proxy.Ranges));
        Assert.All(resumedAt, s => Assert.InRange(s, 1, big.Size - 1));

        Assert.Equal(image.Id, pulled.Image.Id);
        Assert.Equal(image.ManifestDigest, pulled.Image.ManifestDigest);
        var info = await target.Engine.Content.InfoAsync(big.Digest);
        Assert.NotNull(info);
        Assert.Equal(big.Size, info.Size);
        Assert.Equal(await source.LayerTreesAsync(image), await target.LayerTreesAsync(pulled.Image));
        Assert.Empty(await target.Engine.Content.ListIngestsAsync().ToListAsync());
        Assert.Contains(await target.Engine.Images.ListAsync().ToListAsync(), i => i.Id == image.Id);
        await target.AssertConsistentAsync();
    }

    [Theory]
    [InlineData(null)]
    [InlineData(512L * 1024)]
    public async Task Push_cut_mid_blob_completes_and_the_image_pulls_back_unchanged(long? chunk)
    {
        await using var source = await TestStore.CreateAsync();
        var name = $"{_proxy.Host}/fault/push:1";
        var image = await source.MakeImageAsync(name, TwoLayers());

        _proxy.DropOnce(FaultDirection.Request, DropAfter);
        var events = new ConcurrentQueue<TransferEvent>();
        var policy = TestRegistries.Policy(chunk: chunk);
        var pushed = await source.Engine.ImagePusher(TestRegistries.Factory(), policy).PushAsync(Reference.Parse(name), new Collect(events));

        Assert.Equal(1, _proxy.Drops);
        Assert.Contains(events, e => e.Status == TransferStatus.Retrying);
        Assert.Equal(2, events.Count(e => e.Status == TransferStatus.Pushed));
        Assert.Equal(image.ManifestDigest, pushed.Digest);

        // Pull back straight from the registry, past the proxy: what it stored is the image.
        await using var target = await TestStore.CreateAsync();
        var pulled = await target.Engine.ImagePuller(TestRegistries.Factory(), TestRegistries.Policy())
            .PullAsync(Reference.Parse($"{_registry.Host}/fault/push:1"));
        Assert.Equal(image.Id, pulled.Image.Id);
        Assert.Equal(pushed.Digest, pulled.Digest);
        Assert.Equal(await source.LayerTreesAsync(image), await target.LayerTreesAsync(pulled.Image));
        await target.AssertConsistentAsync();
    }

    [Fact]
    public async Task Blob_that_does_not_match_its_digest_fails_the_pull_and_stores_nothing()
    {
        await using var source = await TestStore.CreateAsync();
        var (_, big) = await PushDirectAsync(source, "fault/corrupt:1");

        // Flip bytes in the middle of the registry's copy of the big layer; its size stays the same.
        var data = Path.Combine(_registry.StorageDir, "docker", "registry", "v2", "blobs", "sha256", big.Digest.Encoded[..2], big.Digest.Encoded, "data");
        Assert.True(File.Exists(data), data);
        await using (var f = new FileStream(data, FileMode.Open, FileAccess.ReadWrite))
        {
            f.Position = f.Length / 2;
            var chunk = new byte[64];
            f.ReadExactly(chunk);
            for (var i = 0; i < chunk.Length; i++)
            {
                chunk[i] ^= 0xff;
            }

            f.Position = f.Length / 2;
            f.Write(chunk);
        }

        await using var target = await TestStore.CreateAsync();
        var name = Reference.Parse($"{_registry.Host}/fault/corrupt:1");
        var e = await Assert.ThrowsAnyAsync<StrataException>(() =>
            target.Engine.ImagePuller(TestRegistries.Factory(), TestRegistries.Policy()).PullAsync(name));
        Assert.Equal(ErrorKind.DataLoss, e.Kind);
        Assert.Equal("DIGEST_MISMATCH", e.Code);
        Assert.Contains("digest mismatch", e.Message, StringComparison.Ordinal);
        Assert.Contains(big.Digest.ToString(), e.Message, StringComparison.Ordinal);

        // Nothing visible: no image, no name, no blob under the digest, no ingest left to resume from bad bytes.
        Assert.Empty(await target.Engine.Images.ListAsync().ToListAsync());
        Assert.Null(await target.Engine.Images.TryResolveAsync(name.ToString()));
        Assert.Null(await target.Engine.Content.InfoAsync(big.Digest));
        Assert.DoesNotContain(await target.Engine.Content.ListIngestsAsync().ToListAsync(), i => i.Ref.Contains(big.Digest.Encoded, StringComparison.Ordinal));
        await target.AssertConsistentAsync();

        // Not sticky: the same pull fails the same way again rather than trusting anything from the first try.
        var again = await Assert.ThrowsAnyAsync<StrataException>(() =>
            target.Engine.ImagePuller(TestRegistries.Factory(), TestRegistries.Policy()).PullAsync(name));
        Assert.Equal("DIGEST_MISMATCH", again.Code);
        Assert.Empty(await target.Engine.Images.ListAsync().ToListAsync());
    }

    /// <summary>
    /// A pull that fails (every attempt cut; InterruptedPullTests covers a pull killed by SIGKILL) shows no image but
    /// keeps the partial ingest; the next pull asks only for the rest.
    /// </summary>
    [Fact]
    public async Task Failed_pull_leaves_no_image_and_the_next_pull_resumes_the_partial_blob()
    {
        await using var source = await TestStore.CreateAsync();
        var (image, big) = await PushDirectAsync(source, "fault/again:1");
        var name = Via(_proxy, "fault/again:1");

        _proxy.DropAlways(FaultDirection.Response, DropAfter);
        await using var target = await TestStore.CreateAsync();
        var twoTries = TestRegistries.QuickRetry with { MaxAttempts = 2 };
        await Assert.ThrowsAnyAsync<Exception>(() =>
            target.Engine.ImagePuller(TestRegistries.Factory(retry: twoTries), TestRegistries.Policy(twoTries)).PullAsync(name));
        Assert.True(_proxy.Drops >= 2, $"{_proxy.Drops} drops");

        Assert.Empty(await target.Engine.Images.ListAsync().ToListAsync());
        Assert.Null(await target.Engine.Images.TryResolveAsync(name.ToString()));
        Assert.Null(await target.Engine.Content.InfoAsync(big.Digest));
        var partial = Assert.Single(await target.Engine.Content.ListIngestsAsync().ToListAsync(), i => i.Ref.Contains(big.Digest.Encoded, StringComparison.Ordinal));
        Assert.InRange(partial.Offset, 1, big.Size - 1);
        await target.AssertConsistentAsync();

        _proxy.Disarm();
        while (_proxy.Ranges.TryDequeue(out _))
        {
        }

        var pulled = await target.Engine.ImagePuller(TestRegistries.Factory(), TestRegistries.Policy()).PullAsync(name);
        Assert.Equal(image.Id, pulled.Image.Id);
        Assert.Contains(_proxy.Ranges, r => ParseRangeStart(r) == partial.Offset);
        Assert.DoesNotContain(_proxy.Ranges, r => ParseRangeStart(r) == 0);
        Assert.Equal(await source.LayerTreesAsync(image), await target.LayerTreesAsync(pulled.Image));
        Assert.Empty(await target.Engine.Content.ListIngestsAsync().ToListAsync());
        await target.AssertConsistentAsync();
    }

    /// <summary>The start of <c>bytes=START-[END]</c>, or -1.</summary>
    private static long ParseRangeStart(string range)
    {
        var r = range.Trim();
        if (!r.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
        {
            return -1;
        }

        var dash = r.IndexOf('-', StringComparison.Ordinal);
        return dash > 6 && long.TryParse(r.AsSpan(6, dash - 6), System.Globalization.CultureInfo.InvariantCulture, out var start) ? start : -1;
    }

    private sealed class Collect(ConcurrentQueue<TransferEvent> sink) : IProgress<TransferEvent>
    {
        public void Report(TransferEvent value) => sink.Enqueue(value);
    }
}
