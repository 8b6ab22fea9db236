using System.Formats.Tar;
using Strata.Oci;
using Strata.Storage.Content;
using Strata.Storage.Images;
using Strata.Storage.Layers;
using Strata.Storage.Metadata;

namespace Strata.Storage.Tests.Images;

/// <summary>A real image store (SQLite + content store) in a temp directory, and helpers that make layers from file maps.</summary>
public sealed class TestStore : IDisposable
{
    public TestStore(string? root = null)
    {
        Root = root ?? Directory.CreateTempSubdirectory("strata-images-").FullName;
        Content = new LocalContentStore(Path.Combine(Root, "content"));
    }

    public string Root { get; }

    public LocalContentStore Content { get; }

    public List<IImageUsageCheck> UsageChecks { get; } = [];

    public async Task<ImageStore> OpenAsync()
    {
        var db = await MetadataDb.OpenAsync(Path.Combine(Root, "strata.db"), ImageMigrations.All);
        return new ImageStore(db, Content, usageChecks: () => UsageChecks);
    }

    /// <summary>An image store that unpacks into a real snapshotter (<c>overlay</c> or <c>vfs</c>) under the root.</summary>
    public async Task<ImageStore> OpenWithSnapshotsAsync(string driver)
    {
        var db = await MetadataDb.OpenAsync(Path.Combine(Root, "strata.db"), [.. ImageMigrations.All, .. Strata.Storage.Snapshots.SnapshotMigrations.All]);
        var dir = Path.Combine(Root, "snapshots");
        Strata.Storage.Snapshots.ISnapshotter snapshots = driver == "overlay"
            ? new Strata.Storage.Snapshots.OverlaySnapshotter(dir, db)
            : new Strata.Storage.Snapshots.VfsSnapshotter(dir, db);
        return new ImageStore(db, Content, snapshots, new LayerApplier(), () => UsageChecks);
    }

    /// <summary>A tar of the given files (path -> content; a null content is a directory; a path ending in .wh.X is a whiteout).</summary>
    public static byte[] Tar(IReadOnlyDictionary<string, byte[]?> files)
    {
        using var ms = new MemoryStream();
        using (var w = new TarWriter(ms, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (path, data) in files.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                var e = new PaxTarEntry(data is null ? TarEntryType.Directory : TarEntryType.RegularFile, path)
                {
                    Mode = data is null ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b110_100_100,
                    ModificationTime = DateTimeOffset.UnixEpoch,
                };
                if (data is not null)
                {
                    e.DataStream = new MemoryStream(data);
                }

                w.WriteEntry(e);
            }
        }

        return ms.ToArray();
    }

    public async Task<LayerBlob> LayerAsync(IReadOnlyDictionary<string, byte[]?> files) =>
        await LayerIngest.FromTarAsync(Content, new MemoryStream(Tar(files)), LayerCompression.Gzip);

    public async Task<ImageRecord> ImageAsync(ImageStore store, string? name, ImageRecord? baseImage = null, string? env = null, params IReadOnlyDictionary<string, byte[]?>[] layers)
    {
        var blobs = new List<LayerBlob>();
        foreach (var l in layers)
        {
            blobs.Add(await LayerAsync(l));
        }

        return await new ImageWriter(Content, store).WriteAsync(new ImageWriteRequest
        {
            Base = baseImage,
            Layers = blobs,
            Name = name is null ? null : Reference.Parse(name),
            Changes = env is null ? null : new ConfigChanges { Env = [env] },
            Created = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero),
        });
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
