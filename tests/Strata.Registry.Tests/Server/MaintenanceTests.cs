using System.Collections.Concurrent;
using System.Net;
using Strata.Oci;
using Strata.Registry.Maintenance;

namespace Strata.Registry.Tests.Server;

/// <summary>Online garbage collection, retention rules and quotas.</summary>
public sealed class MaintenanceTests
{
    [Fact]
    public async Task Gc_sweeps_only_unreferenced_blobs_past_the_grace_period()
    {
        await using var host = await RegistryTestHost.StartAsync();
        var (_, kept, keptLayer) = await host.PushImageAsync("gc/a", "v1");
        var (_, gone, goneLayer) = await host.PushImageAsync("gc/b", "v1");
        var stray = await host.PushBlobAsync("gc/c", RegistryTestHost.RandomBytes(333));
        Assert.Equal(HttpStatusCode.Accepted, (await host.Http.DeleteAsync($"/v2/gc/b/manifests/{gone}")).StatusCode);
        var gc = new GarbageCollector(host.Server.Metadata, host.Server.Blobs);

        var young = await gc.RunAsync(new GcOptions { Grace = TimeSpan.FromHours(1) }, CancellationToken.None);
        Assert.Empty(young.BlobsDeleted);

        var dry = await gc.RunAsync(new GcOptions { Grace = TimeSpan.Zero, DryRun = true }, CancellationToken.None);
        Assert.Contains(stray.ToString(), dry.BlobsDeleted);
        Assert.NotNull(await host.Server.Blobs.SizeAsync(stray, CancellationToken.None));

        var report = await gc.RunAsync(new GcOptions { Grace = TimeSpan.Zero }, CancellationToken.None);
        Assert.Contains(stray.ToString(), report.BlobsDeleted);
        Assert.Contains(goneLayer.ToString(), report.BlobsDeleted);
        Assert.Contains(gone.ToString(), report.BlobsDeleted);
        Assert.DoesNotContain(keptLayer.ToString(), report.BlobsDeleted);
        Assert.Null(await host.Server.Blobs.SizeAsync(goneLayer, CancellationToken.None));
        Assert.True(report.BytesFreed > 333);
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync($"/v2/gc/a/manifests/{kept}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync($"/v2/gc/a/blobs/{keptLayer}")).StatusCode);
    }

    [Fact]
    public async Task Shared_layers_survive_deleting_one_of_the_images()
    {
        await using var host = await RegistryTestHost.StartAsync();
        var layer = RegistryTestHost.RandomBytes(2000);
        var (_, first, shared) = await host.PushImageAsync("s/one", "v1", layer: layer);
        await host.PushImageAsync("s/two", "v1", layer: layer);
        await host.Http.DeleteAsync($"/v2/s/one/manifests/{first}");
        await new GarbageCollector(host.Server.Metadata, host.Server.Blobs).RunAsync(new GcOptions { Grace = TimeSpan.Zero }, CancellationToken.None);
        Assert.Equal(layer, await host.Http.GetByteArrayAsync($"/v2/s/two/blobs/{shared}"));
    }

    [Fact]
    public async Task Retention_keeps_the_newest_tags_and_drops_old_untagged_manifests()
    {
        await using var host = await RegistryTestHost.StartAsync();
        foreach (var t in new[] { "1", "2", "3" })
        {
            await host.PushImageAsync("ret", t);
            await Task.Delay(20);
        }

        var (m1, d1, _) = await host.PushImageAsync("idx", "amd");
        var index = System.Text.Encoding.UTF8.GetBytes($$$"""{"schemaVersion":2,"mediaType":"{{{MediaTypes.OciIndex}}}","manifests":[{"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{d1}}}","size":{{{m1.Length}}}}]}""");
        using (await host.PutManifestAsync("idx", "all", index, MediaTypes.OciIndex))
        {
        }

        await host.Http.DeleteAsync("/v2/idx/manifests/amd");
        var report = await new GarbageCollector(host.Server.Metadata, host.Server.Blobs)
            .RunAsync(new GcOptions { KeepTags = 2, UntaggedOlderThan = TimeSpan.Zero, Grace = TimeSpan.Zero }, CancellationToken.None);
        Assert.Equal(["ret:1"], report.TagsDeleted);
        Assert.Single(report.ManifestsDeleted, m => m.StartsWith("ret@", StringComparison.Ordinal));
        Assert.Equal("""{"name":"ret","tags":["2","3"]}""", await host.Http.GetStringAsync("/v2/ret/tags/list"));
        // The untagged child of a tagged index stays.
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync($"/v2/idx/manifests/{d1}")).StatusCode);
    }

    [Fact]
    public async Task Gc_runs_online_while_pushes_continue_and_never_breaks_an_accepted_image()
    {
        await using var host = await RegistryTestHost.StartAsync();
        var gc = new GarbageCollector(host.Server.Metadata, host.Server.Blobs);
        var accepted = new ConcurrentBag<(string Repo, Digest Manifest, Digest Layer)>();
        var rejected = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(6));
        var collector = Task.Run(async () =>
        {
            var runs = 0;
            while (!stop.IsCancellationRequested)
            {
                // A short grace period: blobs uploaded in the last half second are kept for the manifest that follows
                // them (with zero grace, a loaded machine can have every push refused and the test proves nothing).
                await gc.RunAsync(new GcOptions { Grace = TimeSpan.FromMilliseconds(500), KeepTags = 1 }, CancellationToken.None);
                runs++;
            }

            return runs;
        });
        var pushers = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            var i = 0;
            while (!stop.IsCancellationRequested)
            {
                var repo = $"busy/w{w}";
                var layer = RegistryTestHost.RandomBytes(4096);
                var config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}"u8.ToArray();
                var cfg = Digest.Compute(config);
                var l = Digest.Compute(layer);
                using (var c1 = await host.Http.PostAsync($"/v2/{repo}/blobs/uploads/?digest={cfg}", new ByteArrayContent(config)))
                using (var c2 = await host.Http.PostAsync($"/v2/{repo}/blobs/uploads/?digest={l}", new ByteArrayContent(layer)))
                {
                    // The shared config blob may be swept just as it is uploaded again: refused, not broken.
                    if (c1.StatusCode != HttpStatusCode.Created || c2.StatusCode != HttpStatusCode.Created)
                    {
                        Assert.Equal(HttpStatusCode.NotFound, c1.StatusCode == HttpStatusCode.Created ? c2.StatusCode : c1.StatusCode);
                        Interlocked.Increment(ref rejected);
                        continue;
                    }
                }

                var manifest = RegistryTestHost.ImageManifest(cfg, config.Length, l, layer.Length);
                using var r = await host.PutManifestAsync(repo, $"t{i++}", manifest, MediaTypes.OciManifest);
                if (r.StatusCode == HttpStatusCode.Created)
                {
                    accepted.Add((repo, Digest.Compute(manifest), l));
                }
                else
                {
                    // A sweep may take a blob before a slow manifest arrives: the push is refused cleanly, never
                    // accepted half-broken.
                    Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
                    Interlocked.Increment(ref rejected);
                }
            }
        })).ToArray();
        await Task.WhenAll(pushers);
        var gcRuns = await collector;
        Assert.True(gcRuns > 3, $"gc ran {gcRuns} times");
        Assert.NotEmpty(accepted);

        // Every image still tagged after the last sweep is whole.
        foreach (var (repo, manifest, layer) in accepted)
        {
            var tags = await host.Server.Metadata.Catalog.TagInfosAsync(repo, CancellationToken.None);
            if (tags.Any(t => t.Digest == manifest.ToString()))
            {
                Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync($"/v2/{repo}/manifests/{manifest}")).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync($"/v2/{repo}/blobs/{layer}")).StatusCode);
                Assert.NotNull(await host.Server.Blobs.SizeAsync(layer, CancellationToken.None));
            }
        }
    }

    [Fact]
    public async Task Quota_refuses_uploads_beyond_the_limit_with_413()
    {
        await using var host = await RegistryTestHost.StartAsync();
        await host.Server.Metadata.Access.SetQuotaAsync("small/**", 1500, CancellationToken.None);
        await host.PushBlobAsync("small/x", RegistryTestHost.RandomBytes(1000));
        var data = RegistryTestHost.RandomBytes(1000);
        using var r = await host.Http.PostAsync($"/v2/small/x/blobs/uploads/?digest={Digest.Compute(data)}", new ByteArrayContent(data));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, r.StatusCode);
        Assert.Contains("quota", await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync($"/v2/small/x/blobs/{Digest.Compute(data)}")).StatusCode);
        // Other repositories are not limited.
        await host.PushBlobAsync("big/x", data);
    }
}
