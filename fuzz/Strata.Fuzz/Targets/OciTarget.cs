using Strata.Oci;

namespace Strata.Fuzz.Targets;

/// <summary>The manifest, index and image-config parsers over the same bytes (a registry can answer any of them).</summary>
public sealed class OciTarget : IFuzzTarget
{
    public string Name => "oci";

    public Task RunAsync(byte[] input, CancellationToken cancellationToken)
    {
        Try(() =>
        {
            var m = ImageManifest.Parse(input);
            _ = m.Digest;
            foreach (var layer in m.Layers)
            {
                _ = layer.Digest.ToString();
            }
        });
        Try(() =>
        {
            var i = ImageIndex.Parse(input);
            foreach (var d in i.Manifests)
            {
                _ = d.Digest.ToString();
                _ = d.Platform?.ToString();
            }
        });
        Try(() =>
        {
            var c = ImageConfig.Parse(input);
            _ = c.RootFs.DiffIds.Count;
            _ = c.History?.Count;
        });
        return Task.CompletedTask;
    }

    /// <summary>Each parser gets its turn even when an earlier one rightly refused the bytes.</summary>
    private static void Try(Action parse)
    {
        try
        {
            parse();
        }
        catch (StrataException)
        {
        }
    }
}
