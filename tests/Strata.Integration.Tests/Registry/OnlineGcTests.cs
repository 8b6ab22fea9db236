using System.Net;
using System.Text.RegularExpressions;
using Strata.Integration.Tests.Support;

namespace Strata.Integration.Tests.Registry;

/// <summary>
/// <c>strata registry gc</c> (a separate process, a 2 s grace period) in a loop while a pusher pushes images that
/// share a base layer and deletes some right after: gc frees the deleted images' layers, every push succeeds, and
/// every image not deleted still pulls and verifies afterwards. (With <c>--grace 0s</c> gc sweeps blobs a push has
/// uploaded but not yet referenced, and those pushes fail cleanly with MANIFEST_BLOB_UNKNOWN: that is what the grace
/// period is for.)
/// </summary>
[Trait("Category", "Integration")]
public sealed partial class OnlineGcTests : IDisposable
{
    private const int Images = 12;
    private readonly StrataBinary _strata = new();
    private readonly HttpClient _http = new(new HttpClientHandler { UseProxy = false });

    public void Dispose()
    {
        _http.Dispose();
        _strata.Dispose();
    }

    [GeneratedRegex(@"\((\d+) blobs")]
    private static partial Regex BlobsFreed();

    [Fact]
    public async Task Gc_in_a_loop_never_sweeps_what_a_concurrent_pusher_references()
    {
        await using var registry = await StrataRegistry.StartAsync(_strata);
        for (var i = 0; i < Images; i++)
        {
            // Same shared base layer in every image (seed 7): pushes keep re-uploading or mounting a blob gc may be sweeping.
            await TestImages.LoadRandomAsync(_strata, $"gc/app:{i}", layers: 2, layerBytes: 256 * 1024, sharedSeed: 7);
            await _strata.OkAsync("tag", $"gc/app:{i}", $"{registry.Host}/gc/app:{i}");
        }

        using var stop = new CancellationTokenSource();
        var freedBlobs = 0;
        var gcRuns = 0;
        var gcLoop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var gc = (await registry.AdminAsync(null, "gc", "--grace", "2s")).EnsureSuccess("registry gc");
                freedBlobs += int.Parse(BlobsFreed().Match(gc.Stdout).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                gcRuns++;
            }
        });

        var pushed = new List<int>();
        var deleted = new List<int>();
        var failures = new List<string>();
        try
        {
            for (var i = 0; i < Images; i++)
            {
                var push = await _strata.RunAsync("push", $"{registry.Host}/gc/app:{i}");
                if (push.ExitCode == 0)
                {
                    pushed.Add(i);
                }
                else
                {
                    failures.Add($"push {i}: {push.Stderr.Trim()}");
                }

                // Every third image goes again right away: its own layers become garbage for the gc loop.
                if (push.ExitCode == 0 && i % 3 == 0)
                {
                    var digest = (await _strata.OkAsync("inspect", "-f", "{{index .RepoDigests 0}}", $"{registry.Host}/gc/app:{i}")).Trim().Split('@')[1];
                    using var delete = await _http.DeleteAsync(new Uri(registry.BaseUri, $"v2/gc/app/manifests/{digest}"));
                    Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
                    deleted.Add(i);
                }
            }

            // Let the last deleted image age past the grace period and the loop sweep it.
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (freedBlobs < 4 * deleted.Count && DateTime.UtcNow < deadline && !gcLoop.IsCompleted)
            {
                await Task.Delay(100);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await gcLoop;
        }

        Assert.True(gcRuns >= 3, $"only {gcRuns} gc runs");
        Assert.True(freedBlobs >= 4 * deleted.Count, $"gc freed {freedBlobs} blobs: the {deleted.Count} deleted images' manifest, config and two own layers each should have gone");
        Assert.True(pushed.Count == Images, $"only {pushed.Count} of {Images} pushes succeeded while gc ran:\n{string.Join('\n', failures)}");

        // Every image pushed and not deleted pulls into an empty store and verifies; deleted ones are gone.
        using var empty = new StrataBinary();
        foreach (var i in pushed.Except(deleted))
        {
            var name = $"{registry.Host}/gc/app:{i}";
            (await empty.RunAsync("pull", name)).EnsureSuccess($"pull of {name} after gc");
            Assert.Equal(await TestImages.ImageIdAsync(_strata, name), await TestImages.ImageIdAsync(empty, name));
        }

        Assert.EndsWith("No problems found.", (await empty.OkAsync("system", "check")).Trim());
        foreach (var i in deleted)
        {
            Assert.NotEqual(0, (await empty.RunAsync("pull", $"{registry.Host}/gc/app:{i}")).ExitCode);
        }

        // Nothing is left for gc, even without a grace period.
        var last = await registry.AdminOkAsync("gc", "--dry-run", "--grace", "0s");
        Assert.True(last.Contains("Would free 0B", StringComparison.Ordinal), $"after {gcRuns} gc runs freeing {freedBlobs} blobs (deleted {string.Join(',', deleted)}):\n{last}");
    }
}
