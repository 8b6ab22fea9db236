using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Strata.Integration.Tests.Images;
using Strata.Integration.Tests.Support;
using Strata.Oci;

namespace Strata.Integration.Tests.ScaleOut;

/// <summary>
/// Three registry replicas on PostgreSQL + radosgw behind HAProxy (round-robin per request): clients
/// push and pull through the balancer, an upload moves between replicas, garbage collection runs
/// beside pushes.
/// </summary>
[Trait("Category", "Integration")]
[Collection(ScaleOutCollection.Name)]
public sealed class ReplicaTests(ScaleOutCluster cluster) : IDisposable
{
    private readonly StrataBinary _strata = new();
    private readonly IsolatedPodman _podman = new();
    private readonly HttpClient _http = new(new HttpClientHandler { UseProxy = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromMinutes(5) };

    public void Dispose()
    {
        _http.Dispose();
        _podman.Dispose();
        _strata.Dispose();
    }

    [Fact]
    public async Task Skopeo_podman_and_strata_push_and_pull_through_the_balancer()
    {
        await using var set = await cluster.StartAsync(_strata);
        await TestImages.ImportBusyboxAsync(_strata, "busybox:scale");
        await _strata.OkAsync("tag", "busybox:scale", $"{set.Host}/lib/busybox:1");
        await _strata.OkAsync("push", $"{set.Host}/lib/busybox:1");

        // skopeo copies it to another repository through the balancer, and back into an OCI layout.
        await Skopeo.CopyAsync($"docker://{set.Host}/lib/busybox:1", $"docker://{set.Host}/skopeo/busybox:1");
        var layout = Path.Combine(_strata.Root, "oci-layout");
        await Skopeo.CopyAsync($"docker://{set.Host}/skopeo/busybox:1", $"oci:{layout}:1");
        Assert.True(File.Exists(Path.Combine(layout, "index.json")));

        // podman pulls what skopeo pushed and pushes it under a new name.
        await _podman.OkAsync("pull", "--tls-verify=false", $"{set.Host}/skopeo/busybox:1");
        await _podman.OkAsync("tag", $"{set.Host}/skopeo/busybox:1", $"{set.Host}/podman/busybox:1");
        await _podman.OkAsync("push", "--tls-verify=false", $"{set.Host}/podman/busybox:1");

        // strata pulls podman's push; the manifest is the same through every replica.
        await _strata.OkAsync("pull", $"{set.Host}/podman/busybox:1");
        var digests = new HashSet<string>();
        foreach (var r in set.Replicas)
        {
            using var head = await _http.SendAsync(Accepting(new HttpRequestMessage(HttpMethod.Head, new Uri(r.BaseUri, "v2/podman/busybox/manifests/1"))));
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            digests.Add(head.Headers.GetValues("Docker-Content-Digest").Single());
        }

        Assert.Single(digests);
        var inspect = await Skopeo.InspectAsync($"docker://{set.Host}/podman/busybox:1");
        Assert.Single(inspect.GetProperty("Layers").EnumerateArray());
    }

    [Fact]
    public async Task A_chunked_upload_started_on_replica_1_is_finished_on_replica_2()
    {
        await using var set = await cluster.StartAsync(_strata, 2);
        var data = RandomNumberGenerator.GetBytes((9 * 1024 * 1024) + 12345);
        var digest = Digest.Compute(data);
        var (r1, r2) = (set.Replicas[0].BaseUri, set.Replicas[1].BaseUri);

        using var start = await _http.PostAsync(new Uri(r1, "v2/moving/blob/blobs/uploads/"), null);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var location = start.Headers.Location!.OriginalString;

        // A chunk below S3's 5 MiB part minimum on replica 1, the next one on replica 2, status from replica 1.
        await PatchAsync(new Uri(r1, location), data, 0, 3 * 1024 * 1024);
        await PatchAsync(new Uri(r2, location), data, 3 * 1024 * 1024, 6 * 1024 * 1024);
        using (var status = await _http.GetAsync(new Uri(r1, location)))
        {
            Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
            Assert.Equal($"0-{(9 * 1024 * 1024) - 1}", status.Headers.GetValues("Range").Single());
        }

        using var put = new HttpRequestMessage(HttpMethod.Put, new Uri(r2, $"{location}?digest={digest}"))
        {
            Content = new ByteArrayContent(data, 9 * 1024 * 1024, data.Length - (9 * 1024 * 1024)),
        };
        put.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var done = await _http.SendAsync(put);
        Assert.Equal(HttpStatusCode.Created, done.StatusCode);

        Assert.Equal(data, await _http.GetByteArrayAsync(new Uri(set.BaseUri, $"v2/moving/blob/blobs/{digest}")));
        using var ranged = new HttpRequestMessage(HttpMethod.Get, new Uri(r1, $"v2/moving/blob/blobs/{digest}"));
        ranged.Headers.Range = new RangeHeaderValue(5_000_000, 5_000_099);
        using var part = await _http.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(data.AsSpan(5_000_000, 100).ToArray(), await part.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Gc_on_replica_1_while_replicas_2_and_3_take_pushes_loses_nothing()
    {
        await using var set = await cluster.StartAsync(_strata);
        const int Images = 8;
        for (var i = 0; i < Images; i++)
        {
            await TestImages.LoadRandomAsync(_strata, $"gc/app:{i}", layers: 1, layerBytes: 200 * 1024, sharedSeed: 7);
        }

        using var stop = new CancellationTokenSource();
        var runs = 0;
        var refusals = 0;
        var gcLoop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                // Two collectors at once: one sweeps, the other stops with GC_RUNNING; never two sweeps.
                var a = _strata.RunAsync(["registry", "--data-dir", set.Replicas[0].DataDir, "gc", "--grace", "3s", .. set.BackendFlags], null);
                var b = _strata.RunAsync(["registry", "--data-dir", set.Replicas[0].DataDir, "gc", "--grace", "3s", .. set.BackendFlags], null);
                foreach (var r in await Task.WhenAll(a, b))
                {
                    if (r.ExitCode == 0)
                    {
                        Interlocked.Increment(ref runs);
                    }
                    else
                    {
                        Assert.Contains("another garbage collection is running", r.Stderr, StringComparison.Ordinal);
                        Interlocked.Increment(ref refusals);
                    }
                }
            }
        });

        var pushed = new List<string>();
        try
        {
            for (var i = 0; i < Images; i++)
            {
                var replica = set.Replicas[1 + (i % 2)];
                var name = $"{replica.Host}/gc/app:{i}";
                await _strata.OkAsync("tag", $"gc/app:{i}", name);
                await _strata.OkAsync("push", name);
                pushed.Add($"gc/app:{i}");
            }
        }
        finally
        {
            await stop.CancelAsync();
            await gcLoop;
        }

        Assert.True(runs > 0);
        Assert.True(refusals > 0, "two concurrent collectors never met");

        // One more collection after the pushes: every tag pulls and every blob verifies.
        await _strata.OkAsync(["registry", "--data-dir", set.Replicas[0].DataDir, "gc", "--grace", "3s", .. set.BackendFlags]);
        foreach (var name in pushed)
        {
            var copy = Path.Combine(_strata.Root, "verify-" + Guid.NewGuid().ToString("N"));
            await Skopeo.CopyAsync($"docker://{set.Host}/{name}", $"oci:{copy}:x");
            foreach (var blob in Directory.EnumerateFiles(Path.Combine(copy, "blobs", "sha256")))
            {
                Assert.Equal(Path.GetFileName(blob), Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(blob))));
            }
        }
    }

    private async Task PatchAsync(Uri location, byte[] data, int offset, int count)
    {
        using var patch = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new ByteArrayContent(data, offset, count) };
        patch.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        patch.Content.Headers.TryAddWithoutValidation("Content-Range", $"{offset}-{offset + count - 1}");
        using var r = await _http.SendAsync(patch);
        Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        Assert.Equal($"0-{offset + count - 1}", r.Headers.GetValues("Range").Single());
    }

    private static HttpRequestMessage Accepting(HttpRequestMessage request)
    {
        foreach (var t in new[] { MediaTypes.OciManifest, MediaTypes.OciIndex, MediaTypes.DockerManifest, MediaTypes.DockerManifestList })
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(t));
        }

        return request;
    }
}
