using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Strata.Engine;
using Strata.Oci;
using Strata.Storage.Images;
using Strata.Storage.Layers;

namespace Strata.Distribution.Tests.Support;

/// <summary>A Strata store in a temp directory, with helpers to make multi-layer images and read their layer trees.</summary>
public sealed class TestStore : IAsyncDisposable
{
    private TestStore(string root, StrataEngine engine)
    {
        Root = root;
        Engine = engine;
    }

    public string Root { get; }

    public StrataEngine Engine { get; }

    public static async Task<TestStore> CreateAsync()
    {
        var root = Directory.CreateTempSubdirectory("strata-dist-store-").FullName;
        var engine = await StrataEngine.OpenAsync(new EngineOptions { Root = root });
        return new TestStore(root, engine);
    }

    /// <summary>
    /// Writes an image whose layers hold the given files (path -> content), bottom first, named <paramref name="name"/>.
    /// </summary>
    public async Task<ImageRecord> MakeImageAsync(string name, IReadOnlyList<IReadOnlyDictionary<string, byte[]>> layers, ImageFormat format = ImageFormat.Docker, LayerCompression compression = LayerCompression.Gzip)
    {
        var blobs = new List<LayerBlob>();
        foreach (var files in layers)
        {
            using var tar = new MemoryStream();
            await using (var w = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
            {
                var dirs = new SortedSet<string>(StringComparer.Ordinal);
                foreach (var path in files.Keys)
                {
                    var parts = path.Split('/');
                    for (var i = 1; i < parts.Length; i++)
                    {
                        dirs.Add(string.Join('/', parts[..i]) + "/");
                    }
                }

                foreach (var d in dirs)
                {
                    await w.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, d) { Mode = (UnixFileMode)0b111_101_101, ModificationTime = DateTimeOffset.UnixEpoch });
                }

                foreach (var (path, content) in files.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    await w.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, path)
                    {
                        Mode = (UnixFileMode)0b110_100_100,
                        ModificationTime = DateTimeOffset.UnixEpoch,
                        DataStream = new MemoryStream(content),
                    });
                }
            }

            tar.Position = 0;
            blobs.Add(await LayerIngest.FromTarAsync(Engine.Content, tar, compression, validate: true, format));
        }

        return await Engine.ImageWriter.WriteAsync(new ImageWriteRequest
        {
            Layers = blobs,
            Name = Reference.Parse(name),
            Format = format,
            CreatedBy = "strata distribution test",
        });
    }

    /// <summary>Random bytes (incompressible), for layers big enough to cut mid-transfer.</summary>
    public static byte[] Random(int size)
    {
        var b = new byte[size];
        RandomNumberGenerator.Fill(b);
        return b;
    }

    /// <summary>The files of every layer of an image, as "layer/path" -> sha256 of content (directories as "dir").</summary>
    public async Task<SortedDictionary<string, string>> LayerTreesAsync(ImageRecord image)
    {
        var (manifest, _) = await Engine.Images.ReadAsync(image);
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < manifest.Layers.Count; i++)
        {
            await using var blob = await Engine.Content.OpenReadAsync(manifest.Layers[i].Digest);
            var magic = new byte[4];
            await blob.ReadExactlyAsync(magic);
            blob.Position = 0;
            await using Stream plain = magic[0] == 0x1f && magic[1] == 0x8b
                ? new GZipStream(blob, CompressionMode.Decompress)
                : magic.AsSpan().SequenceEqual(new byte[] { 0x28, 0xb5, 0x2f, 0xfd }) ? new ZstdSharp.DecompressionStream(blob) : blob;
            await using var reader = new TarReader(plain);
            while (await reader.GetNextEntryAsync() is { } e)
            {
                var key = $"{i}/{e.Name.TrimStart('.', '/')}";
                result[key] = e.DataStream is { } data ? Convert.ToHexStringLower(await SHA256.HashDataAsync(data)) : e.EntryType.ToString();
            }
        }

        return result;
    }

    /// <summary><c>system check</c> on the store; fails the test on any problem.</summary>
    public async Task AssertConsistentAsync()
    {
        var report = await new StoreChecker(Engine.Images, Engine.Content, Engine.Db).CheckAsync(repair: false);
        Assert.True(report.Clean, string.Join("\n", report.Problems.Select(p => $"{p.Kind} {p.Subject}: {p.Detail}").Concat(report.BrokenImages)));
    }

    public async ValueTask DisposeAsync()
    {
        await Task.Yield();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
