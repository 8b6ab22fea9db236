using System.Security.Cryptography;
using Strata.Storage.Images.Analysis;

namespace Strata.Storage.Tests.Images;

public sealed class ImageAnalyzerTests : IDisposable
{
    private readonly TestStore _t = new();

    public void Dispose() => _t.Dispose();

    [Fact]
    public async Task A_file_deleted_or_overwritten_later_is_wasted_and_charged_to_its_layer()
    {
        var store = await _t.OpenAsync();
        const int Big = 5 * 1024 * 1024;
        var image = await _t.ImageAsync(store, "waste:1", null, null,
            new Dictionary<string, byte[]?> { ["data"] = null, ["data/big"] = RandomNumberGenerator.GetBytes(Big), ["data/conf"] = new byte[100], ["keep"] = new byte[10] },
            new Dictionary<string, byte[]?> { ["data/.wh.big"] = [], ["data/conf"] = new byte[50], ["new"] = new byte[7] },
            new Dictionary<string, byte[]?> { ["data/.wh..wh..opq"] = [], ["data/fresh"] = new byte[3] });

        var a = await new ImageAnalyzer(store, _t.Content).AnalyzeAsync(image);
        Assert.Equal(3, a.Layers.Count);
        Assert.Equal((3, 0, 0), (a.Layers[0].Added, a.Layers[0].Changed, a.Layers[0].Removed));
        Assert.Equal((1, 1, 1), (a.Layers[1].Added, a.Layers[1].Changed, a.Layers[1].Removed));
        // The opaque directory hides data/conf (from layer 1); data/fresh is the layer's own.
        Assert.Equal((1, 0, 1), (a.Layers[2].Added, a.Layers[2].Changed, a.Layers[2].Removed));
        Assert.Equal(Big + 100, a.Layers[0].WastedLater);
        Assert.Equal(50, a.Layers[1].WastedLater);
        Assert.Equal(Big + 150, a.WastedBytes);
        Assert.True(a.WastedBytes >= 5 * 1024 * 1024);
        Assert.Equal("/data/big", a.TopWasted[0].Path);
        Assert.InRange(a.Efficiency, 0, 0.01);
        Assert.Equal(Big + 100 + 10 + 50 + 7 + 3, a.TotalContentSize);
    }
}
