using System.Security.Cryptography;
using Strata.Integration.Tests.Images;

namespace Strata.Integration.Tests.Support;

/// <summary>Images the registry tests move around: busybox imported by strata, and multi-layer images of random bytes.</summary>
public static class TestImages
{
    /// <summary>Imports the busybox fixture as <paramref name="name"/>; returns the image ID (<c>sha256:...</c>).</summary>
    public static async Task<string> ImportBusyboxAsync(StrataBinary strata, string name) =>
        (await strata.OkAsync("import", await Fixtures.BusyboxRootfsTarAsync(), name, "-c", "CMD [\"sh\"]")).Trim();

    /// <summary>
    /// Loads an image of <paramref name="layers"/> layers into <paramref name="strata"/>: a layer shared by every
    /// image made with the same <paramref name="sharedSeed"/> (1 MiB), then layers of random bytes of
    /// <paramref name="layerBytes"/> each. Returns the image ID.
    /// </summary>
    public static async Task<string> LoadRandomAsync(StrataBinary strata, string name, int layers, int layerBytes, int sharedSeed = 1)
    {
        var shared = new byte[1024 * 1024];
        new Random(sharedSeed).NextBytes(shared);
        var list = new List<(byte[] Tar, string CreatedBy)> { (ImageArchiveBuilder.Layer(("shared.bin", shared)), "shared") };
        for (var i = 0; i < layers; i++)
        {
            list.Add((ImageArchiveBuilder.Layer(($"data-{i}.bin", RandomNumberGenerator.GetBytes(layerBytes))), $"layer {i}"));
        }

        var archive = Path.Combine(strata.Root, $"load-{Guid.NewGuid():N}.tar");
        ImageArchiveBuilder.Write(archive, name, [.. list]);
        try
        {
            await strata.OkAsync("load", "-i", archive);
        }
        finally
        {
            File.Delete(archive);
        }

        return await ImageIdAsync(strata, name);
    }

    public static async Task<string> ImageIdAsync(StrataBinary strata, string name) =>
        (await strata.OkAsync("inspect", "-f", "{{.Id}}", name)).Trim();
}
