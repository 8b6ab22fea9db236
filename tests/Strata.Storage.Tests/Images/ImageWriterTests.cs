using System.Security.Cryptography;
using System.Text;
using Strata.Oci;
using Strata.Storage.Images;
using Strata.Storage.Layers;

namespace Strata.Storage.Tests.Images;

public sealed class ImageWriterTests : IDisposable
{
    private readonly TestStore _t = new();

    public void Dispose() => _t.Dispose();

    [Fact]
    public async Task Child_keeps_base_config_layers_and_history_and_applies_changes()
    {
        var store = await _t.OpenAsync();
        var writer = new ImageWriter(_t.Content, store);
        var baseLayer = await _t.LayerAsync(new Dictionary<string, byte[]?> { ["etc/os"] = "base"u8.ToArray() });
        var baseImage = await writer.WriteAsync(new ImageWriteRequest
        {
            Layers = [baseLayer],
            Changes = new ConfigChanges { Env = ["PATH=/bin", "A=1"], Cmd = ["sh"], Labels = new Dictionary<string, string> { ["a"] = "1" } },
            CreatedBy = "import",
            Name = Reference.Parse("base:1"),
        });
        var top = await _t.LayerAsync(new Dictionary<string, byte[]?> { ["app"] = "app"u8.ToArray() });
        var child = await writer.WriteAsync(new ImageWriteRequest
        {
            Base = baseImage,
            Layers = [top],
            Changes = new ConfigChanges { Env = ["A=2"], Labels = new Dictionary<string, string> { ["b"] = "2" }, ExposedPorts = ["80"], WorkingDir = "/app" },
            History = [new HistoryEntry { CreatedBy = "COPY app /app" }, new HistoryEntry { CreatedBy = "EXPOSE 80", EmptyLayer = true }],
            Author = "me",
            Comment = "second",
            Name = Reference.Parse("child:1"),
        });

        var (manifest, config) = await store.ReadAsync(child);
        Assert.Equal(MediaTypes.DockerManifest, manifest.MediaType);
        Assert.Equal(MediaTypes.DockerConfig, manifest.Config.MediaType);
        Assert.Equal([baseLayer.Digest, top.Digest], manifest.Layers.Select(l => l.Digest));
        Assert.All(manifest.Layers, l => Assert.Equal(MediaTypes.DockerLayerGzip, l.MediaType));
        Assert.Equal([baseLayer.DiffId, top.DiffId], config.RootFs.DiffIds);
        Assert.Equal(["PATH=/bin", "A=2"], config.Config!.Env);
        Assert.Equal(["sh"], config.Config.Cmd);
        Assert.Equal("/app", config.Config.WorkingDir);
        Assert.Equal(["80/tcp"], config.Config.ExposedPorts!.Keys);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }, config.Config.Labels);
        Assert.Equal("me", config.Author);
        Assert.Equal(["import", "COPY app /app", "EXPOSE 80"], config.History!.Select(h => h.CreatedBy));
        Assert.True(config.History![2].EmptyLayer);
        Assert.Equal(child.Id, manifest.Config.Digest);
        Assert.Equal(child.ManifestDigest, Digest.Compute(manifest.Raw.Span));
    }

    [Fact]
    public async Task Oci_format_and_zstd_layers_write_an_oci_manifest()
    {
        var store = await _t.OpenAsync();
        var writer = new ImageWriter(_t.Content, store);
        var tar = TestStore.Tar(new Dictionary<string, byte[]?> { ["f"] = "z"u8.ToArray() });
        var zstd = await LayerIngest.FromTarAsync(_t.Content, new MemoryStream(tar), LayerCompression.Zstd);
        Assert.Equal(MediaTypes.OciLayerZstd, zstd.MediaType);
        var image = await writer.WriteAsync(new ImageWriteRequest { Layers = [zstd], Name = Reference.Parse("z:1") });
        var (manifest, _) = await store.ReadAsync(image);
        Assert.Equal(MediaTypes.OciManifest, manifest.MediaType);
        Assert.Equal(MediaTypes.OciConfig, manifest.Config.MediaType);
        Assert.Equal(MediaTypes.OciManifest, image.ManifestMediaType);
    }

    [Fact]
    public async Task Layer_ingest_hashes_tar_and_blob_in_one_pass()
    {
        var tar = TestStore.Tar(new Dictionary<string, byte[]?> { ["dir"] = null, ["dir/file"] = Encoding.UTF8.GetBytes(new string('q', 5000)) });
        var layer = await LayerIngest.FromTarAsync(_t.Content, new MemoryStream(tar), LayerCompression.Gzip);
        Assert.Equal(Digest.Compute(tar), layer.DiffId);
        Assert.Equal(tar.Length, layer.UncompressedSize);
        await using var blob = await _t.Content.OpenReadAsync(layer.Digest);
        Assert.Equal(layer.Digest, await Digest.ComputeAsync(blob));
        Assert.Equal(layer.Size, (await _t.Content.InfoAsync(layer.Digest))!.Size);
    }

    [Fact]
    public async Task Truncated_or_garbage_tar_is_refused_and_leaves_no_blob_or_ingest()
    {
        var tar = TestStore.Tar(new Dictionary<string, byte[]?> { ["file"] = RandomNumberGenerator.GetBytes(20_000) });
        foreach (var bad in new[]
        {
            tar[..(tar.Length / 2)], // truncated in the middle of file data
            RandomNumberGenerator.GetBytes(4096), // not a tar at all
            Array.Empty<byte>(), // empty input
        })
        {
            var e = await Assert.ThrowsAsync<StrataException>(() => LayerIngest.FromTarAsync(_t.Content, new MemoryStream(bad)));
            Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        }

        Assert.Empty(await _t.Content.ListAsync().ToListAsync());
        Assert.Empty(await _t.Content.ListIngestsAsync().ToListAsync());
    }

    [Fact]
    public async Task History_must_match_the_layers()
    {
        var store = await _t.OpenAsync();
        var layer = await _t.LayerAsync(new Dictionary<string, byte[]?> { ["f"] = "1"u8.ToArray() });
        var e = await Assert.ThrowsAsync<StrataException>(() => new ImageWriter(_t.Content, store).WriteAsync(new ImageWriteRequest
        {
            Layers = [layer],
            History = [new HistoryEntry { CreatedBy = "x", EmptyLayer = true }],
        }));
        Assert.Equal("HISTORY_MISMATCH", e.Code);
    }
}
