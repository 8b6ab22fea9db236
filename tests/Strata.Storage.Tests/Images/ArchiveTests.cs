using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Strata.Oci;
using Strata.Storage.Images;
using Strata.Storage.Images.Archives;

namespace Strata.Storage.Tests.Images;

public sealed class ArchiveTests : IDisposable
{
    private readonly TestStore _src = new();
    private readonly TestStore _dst = new();

    public void Dispose()
    {
        _src.Dispose();
        _dst.Dispose();
    }

    private async Task<(ImageStore Store, ImageRecord Base, ImageRecord Child)> TwoImagesAsync()
    {
        var store = await _src.OpenAsync();
        var b = await _src.ImageAsync(store, "base:1", layers: new Dictionary<string, byte[]?> { ["etc/os"] = "base"u8.ToArray() });
        var c = await _src.ImageAsync(store, "child:1", b, layers: new Dictionary<string, byte[]?> { ["app"] = "app"u8.ToArray() });
        return (store, b, c);
    }

    [Theory]
    [InlineData(ArchiveFormat.DockerArchive, false)]
    [InlineData(ArchiveFormat.DockerArchive, true)]
    [InlineData(ArchiveFormat.OciArchive, false)]
    public async Task Save_then_load_round_trips_names_ids_and_layers(ArchiveFormat format, bool gzipArchive)
    {
        var (store, b, c) = await TwoImagesAsync();
        using var archive = new MemoryStream();
        await new ImageArchiveWriter(store, _src.Content).SaveAsync(["base:1", "child:1"], archive, format);
        var bytes = archive.ToArray();
        if (gzipArchive)
        {
            using var gz = new MemoryStream();
            await using (var z = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true))
            {
                await z.WriteAsync(bytes);
            }

            bytes = gz.ToArray();
        }

        var dst = await _dst.OpenAsync();
        var loaded = await new ImageArchiveLoader(_dst.Content, dst).LoadAsync(new MemoryStream(bytes));
        Assert.Equal(new[] { b.Id, c.Id }.Order(), loaded.Select(l => l.Id).Order());
        Assert.Equal(["docker.io/library/base:1", "docker.io/library/child:1"], loaded.SelectMany(l => l.Names).Select(n => n.ToString()).Order());
        var child = await dst.ResolveAsync("child:1");
        Assert.Equal(c.Id, child.Id);
        if (format == ArchiveFormat.DockerArchive)
        {
            // The manifest travels in the archive's OCI index: the digest survives.
            Assert.Equal(c.ManifestDigest, child.ManifestDigest);
        }

        Assert.Equal((await store.LayersAsync(c)).Select(l => (l.Digest, l.DiffId, l.ChainId)), (await dst.LayersAsync(child)).Select(l => (l.Digest, l.DiffId, l.ChainId)));
        // The shared base layer is stored once.
        Assert.Equal(2, (await dst.LayersAsync(child)).Select(l => l.Digest).Concat((await dst.LayersAsync(await dst.ResolveAsync("base:1"))).Select(l => l.Digest)).Distinct().Count());
    }

    [Fact]
    public async Task Docker_archive_has_the_files_docker_writes()
    {
        var (store, _, c) = await TwoImagesAsync();
        using var archive = new MemoryStream();
        await new ImageArchiveWriter(store, _src.Content).SaveAsync(["child:1"], archive, ArchiveFormat.DockerArchive);
        archive.Position = 0;
        var names = new List<string>();
        await using (var r = new TarReader(archive))
        {
            while (await r.GetNextEntryAsync() is { } e)
            {
                names.Add(e.Name);
            }
        }

        Assert.Contains("manifest.json", names);
        Assert.Contains("repositories", names);
        Assert.Contains("index.json", names);
        Assert.Contains("oci-layout", names);
        Assert.Contains($"blobs/sha256/{c.Id.Encoded}", names);
        Assert.Contains($"blobs/sha256/{c.ManifestDigest.Encoded}", names);
    }

    [Fact]
    public async Task Legacy_docker_archive_with_plain_layers_and_a_symlinked_duplicate_loads()
    {
        var layer = TestStore.Tar(new Dictionary<string, byte[]?> { ["hello"] = "world"u8.ToArray() });
        var diff = Digest.Compute(layer);
        var config = Encoding.UTF8.GetBytes($$$"""{"architecture":"amd64","os":"linux","config":{"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":["{{{diff}}}","{{{diff}}}"]}}""");
        var configHex = Digest.Compute(config).Encoded;
        var manifest = Encoding.UTF8.GetBytes($$"""[{"Config":"{{configHex}}.json","RepoTags":["legacy:1"],"Layers":["aaa/layer.tar","bbb/layer.tar"]}]""");
        using var ms = new MemoryStream();
        await using (var w = new TarWriter(ms, TarEntryFormat.Gnu, leaveOpen: true))
        {
            await w.WriteEntryAsync(new GnuTarEntry(TarEntryType.RegularFile, configHex + ".json") { DataStream = new MemoryStream(config) });
            await w.WriteEntryAsync(new GnuTarEntry(TarEntryType.RegularFile, "aaa/layer.tar") { DataStream = new MemoryStream(layer) });
            await w.WriteEntryAsync(new GnuTarEntry(TarEntryType.SymbolicLink, "bbb/layer.tar") { LinkName = "../aaa/layer.tar" });
            await w.WriteEntryAsync(new GnuTarEntry(TarEntryType.RegularFile, "manifest.json") { DataStream = new MemoryStream(manifest) });
        }

        var dst = await _dst.OpenAsync();
        var loaded = await new ImageArchiveLoader(_dst.Content, dst).LoadAsync(new MemoryStream(ms.ToArray()));
        var image = await dst.ResolveAsync("legacy:1");
        Assert.Equal("sha256:" + configHex, image.Id.ToString());
        Assert.Equal(loaded.Single().Id, image.Id);
        var layers = await dst.LayersAsync(image);
        Assert.Equal([diff, diff], layers.Select(l => l.Digest));
        Assert.Equal(ImageWriter.DockerLayerUncompressed, layers[0].MediaType);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("truncated")]
    [InlineData("no-manifest")]
    public async Task Bad_archives_are_refused_and_register_nothing(string kind)
    {
        var (store, _, _) = await TwoImagesAsync();
        using var archive = new MemoryStream();
        await new ImageArchiveWriter(store, _src.Content).SaveAsync(["child:1"], archive, ArchiveFormat.DockerArchive);
        var good = archive.ToArray();
        var bytes = kind switch
        {
            "garbage" => RandomNumberGenerator.GetBytes(10_000),
            "truncated" => good[..(good.Length / 2)],
            _ => TestStore.Tar(new Dictionary<string, byte[]?> { ["hello.txt"] = "hi"u8.ToArray() }),
        };
        var dst = await _dst.OpenAsync();
        var e = await Assert.ThrowsAsync<StrataException>(() => new ImageArchiveLoader(_dst.Content, dst).LoadAsync(new MemoryStream(bytes)));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Empty(await dst.ListAsync().ToListAsync());
        Assert.Empty(await _dst.Content.ListIngestsAsync().ToListAsync());
    }
}
