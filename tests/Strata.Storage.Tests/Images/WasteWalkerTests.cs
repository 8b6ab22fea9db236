using Strata.Storage.Images.Analysis;
using Strata.Storage.Layers;
using Strata.Storage.Tests.Layers;

namespace Strata.Storage.Tests.Images;

/// <summary>The one wasted-bytes walk every analyzer uses, on layers in every compression the store holds.</summary>
public sealed class WasteWalkerTests
{
    [Theory]
    [InlineData(LayerCompression.None)]
    [InlineData(LayerCompression.Gzip)]
    [InlineData(LayerCompression.Zstd)]
    public async Task Overwrites_whiteouts_and_opaque_dirs_are_charged_to_the_layer_that_shipped_the_bytes(LayerCompression compression)
    {
        var lower = await new TarBuilder().Dir("etc").File("etc/a", new string('a', 100)).File("b", new string('b', 50))
            .Dir("cache").File("cache/x", new string('x', 30)).File("keep", "kept").BuildAsync(compression);
        var middle = await new TarBuilder().File("etc/a", new string('A', 10)).Whiteout(".wh.b").BuildAsync(compression);
        var upper = await new TarBuilder().Whiteout("cache/.wh..wh..opq").File("etc/a", "3!!").BuildAsync(compression);

        var walk = await WasteWalker.WalkAsync([Open(lower), Open(middle), Open(upper)]);

        Assert.Equal(100 + 50 + 30 + 4 + 10 + 3, walk.TotalContentSize);
        Assert.Equal(100 + 10 + 50 + 30, walk.WastedBytes);
        Assert.Contains(new LayerWaste(1, 0, "etc/a", 100, Deleted: false), walk.Waste);
        Assert.Contains(new LayerWaste(1, 0, "b", 50, Deleted: true), walk.Waste);
        Assert.Contains(new LayerWaste(2, 0, "cache/x", 30, Deleted: true), walk.Waste);
        Assert.Contains(new LayerWaste(2, 1, "etc/a", 10, Deleted: false), walk.Waste);
        Assert.DoesNotContain(walk.Waste, w => w.Path == "keep");

        Assert.Equal(new LayerChanges(Added: 4, Changed: 0, Removed: 0, ContentSize: 184), walk.Layers[0]);
        Assert.Equal(new LayerChanges(Added: 0, Changed: 1, Removed: 1, ContentSize: 10), walk.Layers[1]);
        Assert.Equal(new LayerChanges(Added: 0, Changed: 1, Removed: 1, ContentSize: 3), walk.Layers[2]);

        Assert.Equal([new WastedFile("/etc/a", 110, 2), new WastedFile("/b", 50, 1)], WastedFile.Top(walk.Waste, 2, "/"));
    }

    [Fact]
    public async Task A_file_replacing_a_directory_hides_what_was_under_it()
    {
        var lower = await new TarBuilder().Dir("d").File("d/one", "11111").File("d/two", "22").BuildAsync();
        var upper = await new TarBuilder().File("d", "now a file").BuildAsync();
        var walk = await WasteWalker.WalkAsync([Open(lower), Open(upper)]);
        Assert.Equal(7, walk.WastedBytes);
        Assert.All(walk.Waste, w => Assert.True(w.Deleted));
        Assert.Equal(new LayerChanges(Added: 1, Changed: 0, Removed: 2, ContentSize: 10), walk.Layers[1]);
    }

    [Fact]
    public async Task Every_non_whiteout_entry_is_shown_to_the_caller_with_its_layer()
    {
        var lower = await new TarBuilder().File("var/cache/apt/pkg.deb", "deb").BuildAsync(LayerCompression.Zstd);
        var upper = await new TarBuilder().Whiteout("var/cache/apt/.wh.pkg.deb").File("x", "y").BuildAsync();
        var seen = new List<(int, string)>();
        await WasteWalker.WalkAsync([Open(lower), Open(upper)], (layer, e) => seen.Add((layer, e.Path)));
        Assert.Equal([(0, "var/cache/apt/pkg.deb"), (1, "x")], seen);
    }

    private static Func<CancellationToken, Task<Stream>> Open(byte[] blob) => _ => Task.FromResult<Stream>(new MemoryStream(blob));
}
