using Strata.Oci;
using Strata.Registry.Ui;

namespace Strata.Registry.Tests.Ui;

public sealed class WastedBytesAnalyzerTests
{
    [Fact]
    public async Task Overwritten_and_whited_out_files_count_as_waste_and_the_result_is_cached()
    {
        var lower = TestLayers.Tar(gzip: true, ("a", 100), ("b", 50), ("dir/c", 30), ("keep", 7));
        var middle = TestLayers.Tar(gzip: false, ("a", 10), (".wh.b", 0));
        var upper = TestLayers.Tar(gzip: true, ("dir/.wh..wh..opq", 0), ("a", 3));
        var blobs = new[] { lower, middle, upper }.ToDictionary(b => Digest.Compute(b));
        var layers = new[] { TestLayers.Describe(lower, true), TestLayers.Describe(middle, false), TestLayers.Describe(upper, true) };
        var opened = 0;
        Task<Stream?> Open(Digest d, CancellationToken ct)
        {
            opened++;
            return Task.FromResult<Stream?>(blobs.TryGetValue(d, out var b) ? new MemoryStream(b) : null);
        }

        var analyzer = new WastedBytesAnalyzer();
        var manifest = Digest.Compute("m"u8);
        var report = await analyzer.AnalyzeAsync(manifest, layers, Open, CancellationToken.None);

        // a: 100 (lower) + 10 (middle) hidden by upper's 3; b: 50 whited out; dir/c: 30 under an opaque dir.
        Assert.Equal(100 + 50 + 30 + 7 + 10 + 3, report.TotalBytes);
        Assert.Equal(100 + 10 + 50 + 30, report.WastedBytes);
        Assert.Equal(new UiWastedFile("a", 110, 2), report.Files[0]);
        Assert.Contains(new UiWastedFile("b", 50, 1), report.Files);
        Assert.Contains(new UiWastedFile("dir/c", 30, 1), report.Files);
        Assert.DoesNotContain(report.Files, f => f.Path == "keep");

        var again = await analyzer.AnalyzeAsync(manifest, layers, Open, CancellationToken.None);
        Assert.Same(report, again);
        Assert.Equal(3, opened);
    }

    [Fact]
    public async Task Missing_layer_blob_is_not_found()
    {
        var layer = TestLayers.Tar(gzip: true, ("x", 1));
        var ex = await Assert.ThrowsAsync<StrataException>(() => new WastedBytesAnalyzer().AnalyzeAsync(
            Digest.Compute("m"u8), [TestLayers.Describe(layer, true)], (_, _) => Task.FromResult<Stream?>(null), CancellationToken.None));
        Assert.Equal(ErrorKind.NotFound, ex.Kind);
    }
}
