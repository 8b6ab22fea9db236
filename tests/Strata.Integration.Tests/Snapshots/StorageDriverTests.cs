using Strata.Engine;
using Strata.Oci;

namespace Strata.Integration.Tests.Snapshots;

/// <summary>Storage driver choice when the engine opens a store (root; overlay works on this host).</summary>
public sealed class StorageDriverTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("strata-driver-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private Task<StrataEngine> OpenAsync(string? driver) => StrataEngine.OpenAsync(new EngineOptions { Root = _root, StorageDriver = driver });

    [Fact]
    public async Task Default_is_overlay_and_is_recorded()
    {
        var engine = await OpenAsync(null);
        Assert.Equal("overlay", engine.Snapshotter.Driver);
        Assert.Equal("overlay", (await OpenAsync("overlay")).Snapshotter.Driver);
        Assert.Equal("overlay", (await OpenAsync("overlay2")).Snapshotter.Driver);

        var e = await Assert.ThrowsAsync<StrataException>(() => OpenAsync("vfs"));
        Assert.Equal((ErrorKind.FailedPrecondition, "STORAGE_DRIVER_MISMATCH"), (e.Kind, e.Code));
        Assert.Contains("created with the overlay storage driver", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Vfs_when_asked_then_kept_for_later_runs()
    {
        Assert.Equal("vfs", (await OpenAsync("vfs")).Snapshotter.Driver);
        Assert.Equal("vfs", (await OpenAsync(null)).Snapshotter.Driver);

        var e = await Assert.ThrowsAsync<StrataException>(() => OpenAsync("overlay"));
        Assert.Equal(ErrorKind.FailedPrecondition, e.Kind);
    }

    [Fact]
    public async Task Unknown_driver_is_invalid()
    {
        var e = await Assert.ThrowsAsync<StrataException>(() => OpenAsync("zfs"));
        Assert.Equal((ErrorKind.InvalidArgument, "STORAGE_DRIVER_UNKNOWN"), (e.Kind, e.Code));
    }

    [Fact]
    public async Task Engine_unpacks_and_diffs_through_its_snapshotter()
    {
        var engine = await OpenAsync(null);
        var tar = new MemoryStream();
        var w = new Strata.Storage.Layers.LayerTarWriter(tar);
        await w.WriteEntryAsync(new() { Name = "hello", Type = Strata.Storage.Layers.LayerEntryType.RegularFile, Mode = 0x1A4, Size = 2 }, new MemoryStream("hi"u8.ToArray()), default);
        await w.FinishAsync(default);

        await engine.Snapshotter.PrepareAsync($"unpack-{Environment.ProcessId}-1", null);
        var dir = engine.Snapshotter.DirectoryOf($"unpack-{Environment.ProcessId}-1")!;
        var applied = await engine.LayerApplier.ApplyAsync(new MemoryStream(tar.ToArray()), dir, new() { Whiteouts = engine.LayerWhiteouts });
        await engine.Snapshotter.CommitAsync(applied.DiffId.ToString(), $"unpack-{Environment.ProcessId}-1");

        var output = new MemoryStream();
        var diff = await engine.LayerDiffer.DiffAsync(engine.Snapshotter.DirectoryOf(applied.DiffId.ToString())!, output, Strata.Storage.Layers.LayerCompression.Gzip, overlayWhiteouts: true);
        Assert.Equal(applied.DiffId, diff.DiffId);
        Assert.Equal(0, await engine.CleanupSnapshotsAsync());
    }
}
