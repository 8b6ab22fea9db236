using System.Collections.Concurrent;
using System.Diagnostics;
using Strata.Integration.Tests.Support;
using Xunit.Abstractions;

namespace Strata.Integration.Tests.Reliability;

/// <summary>
/// Issue 13's reliability suite, part one: 16 concurrent pushes of images that share a base layer into one
/// <c>strata registry serve</c>, while <c>strata registry gc</c> runs in a loop with its default grace period and
/// every image is pulled into another store as soon as its push returns. Every push, pull and gc must succeed, and
/// a full re-pull of the registry and <c>system check</c> of the pulling store must find nothing wrong.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ConcurrentPushGcTests(ITestOutputHelper output) : IDisposable
{
    private const int Pushes = 16;
    private readonly StrataBinary _pusher = new();
    private readonly StrataBinary _puller = new();
    private readonly HttpClient _http = new(new HttpClientHandler { UseProxy = false }) { Timeout = TimeSpan.FromMinutes(2) };

    public void Dispose()
    {
        _http.Dispose();
        _pusher.Dispose();
        _puller.Dispose();
    }

    [Fact]
    public async Task Sixteen_concurrent_pushes_with_gc_looping_lose_nothing()
    {
        await using var registry = await StrataRegistry.StartAsync(_pusher);
        var ids = new Dictionary<string, string>();
        for (var i = 0; i < Pushes; i++)
        {
            // One shared base layer (seed 13) in all 16, so pushes race on the same blob while gc walks it.
            var local = $"rel/app{i % 4}:{i}";
            var id = await TestImages.LoadRandomAsync(_pusher, local, layers: 2, layerBytes: 512 * 1024, sharedSeed: 13);
            var remote = $"{registry.Host}/{local}";
            await _pusher.OkAsync("tag", local, remote);
            ids[remote] = id;
        }

        using var stop = new CancellationTokenSource();
        var gcRuns = 0;
        var gcFailures = new ConcurrentBag<string>();
        var gcLoop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var gc = await registry.AdminAsync(null, "gc");
                if (gc.ExitCode != 0)
                {
                    gcFailures.Add(gc.Stderr.Trim());
                }

                Interlocked.Increment(ref gcRuns);
            }
        });

        var failures = new ConcurrentBag<string>();
        var pulled = 0;
        var clock = Stopwatch.StartNew();
        try
        {
            await Task.WhenAll(ids.Select(async pair =>
            {
                var push = await _pusher.RunAsync("push", pair.Key);
                if (push.ExitCode != 0)
                {
                    failures.Add($"push {pair.Key}: {push.Stderr.Trim()}");
                    return;
                }

                var pull = await _puller.RunAsync("pull", pair.Key);
                if (pull.ExitCode != 0)
                {
                    failures.Add($"pull {pair.Key}: {pull.Stderr.Trim()}");
                    return;
                }

                var id = await TestImages.ImageIdAsync(_puller, pair.Key);
                if (id != pair.Value)
                {
                    failures.Add($"pull {pair.Key}: image {id}, pushed {pair.Value}");
                    return;
                }

                Interlocked.Increment(ref pulled);
            }));
        }
        finally
        {
            await stop.CancelAsync();
            await gcLoop;
        }

        var elapsed = clock.Elapsed;
        Assert.True(failures.IsEmpty, string.Join('\n', failures));
        Assert.True(gcFailures.IsEmpty, "gc failed: " + string.Join('\n', gcFailures));
        Assert.True(gcRuns >= 1, "gc never ran during the pushes");

        // A last gc with the default grace, then a full re-pull of the registry and a check of the pulling store.
        await registry.AdminOkAsync("gc");
        var (tags, blobs) = await new RegistryVerifier(_http, registry.BaseUri).VerifyAllAsync();
        Assert.Equal(Pushes, tags);
        var check = await _puller.RunAsync("system", "check");
        Assert.True(check.ExitCode == 0, check.Stdout + check.Stderr);
        output.WriteLine($"reliability: {Pushes} concurrent pushes, {pulled} pulls verified, {gcRuns} gc runs alongside in {elapsed.TotalSeconds:0.0} s; registry re-pull: {tags} tags, {blobs} blobs verified; system check clean");
    }
}
