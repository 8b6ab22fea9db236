using System.Net;
using Strata.Oci;
using Strata.Registry.Maintenance;
using Strata.Registry.Metadata;
using Strata.Registry.Server;
using Strata.Registry.Tests.Server;

namespace Strata.Registry.Tests.Backends;

/// <summary>
/// Bad configuration fails at start with one line naming the component; a backend lost at run time
/// makes /readyz unready; one collector at a time per metadata store.
/// </summary>
[Collection(BackendCollection.Name)]
public sealed class BackendFailureTests(BackendPeers peers)
{
    private static RegistryServerOptions Options() =>
        new() { Root = Directory.CreateTempSubdirectory("strata-registry-test-").FullName, Address = "127.0.0.1:0", InsecureHttp = true, AccessLog = null };

    [Fact]
    public async Task Unreachable_postgres_fails_at_start_naming_the_metadata_store()
    {
        var e = await Assert.ThrowsAsync<StrataException>(() => RegistryServer.StartAsync(Options() with { Metadata = "postgres://postgres@127.0.0.1:1/none" }));
        Assert.Equal(RegistryErrors.MetadataUnavailable, e.Code);
        Assert.StartsWith("metadata store postgres://postgres@127.0.0.1:1/none", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public async Task Wrong_s3_keys_and_a_missing_bucket_fail_at_start_naming_the_blob_store()
    {
        var s3 = await peers.S3Async();
        var bucket = await s3.CreateBucketAsync();
        var wrongKeys = await Assert.ThrowsAsync<StrataException>(() => RegistryServer.StartAsync(Options() with { BlobStore = bucket, S3 = s3.Settings with { SecretKey = "wrong-secret-key-0000000000000000000000" } }));
        Assert.Equal(RegistryErrors.BlobStoreUnavailable, wrongKeys.Code);
        Assert.StartsWith($"blob store {bucket}: access refused", wrongKeys.Message, StringComparison.Ordinal);

        var missing = await Assert.ThrowsAsync<StrataException>(() => RegistryServer.StartAsync(Options() with { BlobStore = "s3://no-such-bucket-here/x", S3 = s3.Settings }));
        Assert.Equal("blob store s3://no-such-bucket-here/x: bucket no-such-bucket-here does not exist", missing.Message);

        var bad = await Assert.ThrowsAsync<StrataException>(() => RegistryServer.StartAsync(Options() with { BlobStore = "s4://x" }));
        Assert.Equal(RegistryErrors.BackendInvalid, bad.Code);
    }

    [Fact]
    public async Task Readyz_goes_unready_while_postgres_is_down_and_ready_again_after()
    {
        var pg = await peers.PostgresAsync();
        await using var host = await RegistryTestHost.StartAsync(o => o with { Metadata = pg.CreateDatabaseAsync().GetAwaiter().GetResult() });
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync("/readyz")).StatusCode);
        await pg.StopAsync();
        try
        {
            using var down = await host.Http.GetAsync("/readyz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.Contains("metadata store", await down.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await pg.RestartAsync();
        }

        // Pooled connections died with the server: the next check opens new ones.
        var ready = HttpStatusCode.ServiceUnavailable;
        for (var i = 0; i < 20 && ready != HttpStatusCode.OK; i++)
        {
            ready = (await host.Http.GetAsync("/readyz")).StatusCode;
            await Task.Delay(100);
        }

        Assert.Equal(HttpStatusCode.OK, ready);
    }

    [Theory]
    [InlineData(RegistryBackend.SqliteFs)]
    [InlineData(RegistryBackend.Postgres)]
    public async Task A_second_collector_stops_while_one_runs_and_waits_when_asked(RegistryBackend backend)
    {
        var options = await peers.ConfigureAsync(Options(), backend);
        await using var host = await RegistryTestHost.StartAsync(o => o with { Metadata = options.Metadata });
        var held = await host.Server.Metadata.Gc.AcquireCollectorLockAsync(wait: false, CancellationToken.None);
        Assert.NotNull(held);
        var gc = new GarbageCollector(host.Server.Metadata, host.Server.Blobs);
        var e = await Assert.ThrowsAsync<StrataException>(() => gc.RunAsync(new GcOptions(), CancellationToken.None));
        Assert.Equal(GarbageCollector.Running, e.Code);
        var waiting = gc.RunAsync(new GcOptions { WaitForOther = true }, CancellationToken.None);
        await Task.Delay(700);
        Assert.False(waiting.IsCompleted);
        await held.DisposeAsync();
        var report = await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(report.DryRun);
    }
}
