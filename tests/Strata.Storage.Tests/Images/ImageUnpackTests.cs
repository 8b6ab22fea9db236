using Strata.Storage.Images;
using Strata.Storage.Snapshots;

namespace Strata.Storage.Tests.Images;

/// <summary>Unpack into real snapshotters (overlay needs root and overlayfs, which CI has).</summary>
public sealed class ImageUnpackTests : IDisposable
{
    private readonly TestStore _t = new();

    public void Dispose() => _t.Dispose();

    [Theory]
    [InlineData("overlay")]
    [InlineData("vfs")]
    public async Task Unpacks_layers_by_chain_id_once_and_rmi_removes_unused_snapshots(string driver)
    {
        var store = await _t.OpenWithSnapshotsAsync(driver);
        var baseImage = await _t.ImageAsync(store, "base:1", null, null, new Dictionary<string, byte[]?> { ["etc"] = null, ["etc/os"] = "base"u8.ToArray(), ["gone"] = "x"u8.ToArray() });
        var child = await _t.ImageAsync(store, "child:1", baseImage, null, new Dictionary<string, byte[]?> { [".wh.gone"] = [], ["app"] = "app"u8.ToArray() });

        var top = await store.UnpackAsync(child);
        var layers = await store.LayersAsync(child);
        Assert.Equal(layers[^1].ChainId.ToString(), top);
        var snapshots = (await store.SnapshotsAsync())!;
        foreach (var l in layers)
        {
            Assert.Equal(SnapshotKind.Committed, (await snapshots.StatAsync(l.ChainId.ToString()))!.Kind);
        }

        var topDir = snapshots.DirectoryOf(top!)!;
        Assert.True(File.Exists(Path.Combine(topDir, "app")));
        if (driver == "vfs")
        {
            // Flattened: the base's file is there, the whited-out one is not.
            Assert.True(File.Exists(Path.Combine(topDir, "etc", "os")));
            Assert.False(File.Exists(Path.Combine(topDir, "gone")));
        }

        // Idempotent, and the base image shares the bottom snapshot.
        Assert.Equal(top, await store.UnpackAsync(child));
        Assert.Equal(layers[0].ChainId.ToString(), await store.UnpackAsync(baseImage));
        Assert.Equal(2, await snapshots.ListAsync().CountAsync());

        await store.RemoveAsync("child:1");
        Assert.Null(await snapshots.StatAsync(top!));
        Assert.NotNull(await snapshots.StatAsync(layers[0].ChainId.ToString()));
        await store.RemoveAsync("base:1");
        Assert.Empty(await snapshots.ListAsync().ToListAsync());
    }

    [Fact]
    public async Task Concurrent_unpacks_of_one_image_both_succeed_and_leave_no_staging()
    {
        var s1 = await _t.OpenWithSnapshotsAsync("overlay");
        var s2 = await _t.OpenWithSnapshotsAsync("overlay");
        var image = await _t.ImageAsync(s1, "race:1", null, null,
            new Dictionary<string, byte[]?> { ["a"] = new byte[200_000] },
            new Dictionary<string, byte[]?> { ["b"] = new byte[200_000] });
        var results = await Task.WhenAll(s1.UnpackAsync(image), s2.UnpackAsync(image), s1.UnpackAsync(image));
        Assert.All(results, r => Assert.Equal(results[0], r));
        var all = await (await s1.SnapshotsAsync())!.ListAsync().ToListAsync();
        Assert.Equal(2, all.Count);
        Assert.All(all, s => Assert.Equal(SnapshotKind.Committed, s.Kind));
    }
}
