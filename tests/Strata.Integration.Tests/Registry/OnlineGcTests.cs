using System.Net;
using System.Text.RegularExpressions;
using Strata.Integration.Tests.Support;

namespace Strata.Integration.Tests.Registry;

/// <summary>
/// <c>strata registry gc</c> (a separate process, no grace period) in a loop while a pusher pushes images that share
/// a base layer and deletes older ones: gc frees the deleted images' layers, and every image whose push succeeded
/// and was not deleted still pulls and verifies afterwards.
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
                var gc = (await registry.AdminAsync(null, "gc", "--grace", "0s")).EnsureSuccess("registry gc");
                freedBlobs += int.Parse(BlobsFreed().Match(gc.Stdout).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                gcRuns++;
            }
        });

        var pushed = new List<int>();
        var deleted = new List<int>();
        try
        {
            for (var i = 0; i < Images; i++)
            {
                var push = await _strata.RunAsync("push", $"{registry.Host}/gc/app:{i}");
                if (push.ExitCode == 0)
                {
                    pushed.Add(i);
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

            // Give the loop time for a few more runs after the last push.
            var runs = gcRuns;
            while (gcRuns < runs + 2 && !gcLoop.IsCompleted)
            {
                await Task.Delay(50);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await gcLoop;
        }

        Assert.True(gcRuns >= 3, $"only {gcRuns} gc runs");
        Assert.True(freedBlobs >= 2, $"gc freed {freedBlobs} blobs: the deleted images' layers should have gone");
        Assert.True(pushed.Count >= Images - 2, $"only {pushed.Count} of {Images} pushes succeeded while gc ran");

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

        // A final gc finds nothing referenced to take.
        Assert.Contains("Would free 0B", await registry.AdminOkAsync("gc", "--dry-run", "--grace", "0s"));
    }
}
