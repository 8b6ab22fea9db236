using System.Formats.Tar;
using System.Text.Json;
using Strata.Oci;
using Strata.Storage.Content;
using Strata.Storage.Layers;

namespace Strata.Storage.Images.Archives;

/// <summary>
/// <c>load</c>: reads a docker-archive (manifest.json; legacy <c>&lt;id&gt;/layer.tar</c> layout or docker 25+'s
/// blobs/sha256) or an oci-archive (index.json), plain or compressed, in one streaming pass. Every file goes
/// straight into the content store through a verified ingest; images are registered only at the end, so an
/// interrupted or bad archive leaves no image (at most unreferenced blobs).
/// </summary>
public sealed class ImageArchiveLoader
{
    private const long MaxDocumentSize = 16 << 20;
    private readonly IContentStore _content;
    private readonly IImageStore _images;

    public ImageArchiveLoader(IContentStore content, IImageStore images)
    {
        _content = content;
        _images = images;
    }

    public async Task<IReadOnlyList<LoadedImage>> LoadAsync(Stream input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var files = new Dictionary<string, (Digest Digest, long Size)>(StringComparer.Ordinal);
        var documents = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var links = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            await using var tarStream = await Compression.DecompressAsync(input, cancellationToken).ConfigureAwait(false);
            await using var reader = new TarReader(tarStream, leaveOpen: true);
            var entries = 0;
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                entries++;
                var name = Normalize(entry.Name);
                switch (entry.EntryType)
                {
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                        await ReadFileAsync(entry, name, files, documents, cancellationToken).ConfigureAwait(false);
                        break;
                    case TarEntryType.SymbolicLink or TarEntryType.HardLink:
                        // Legacy docker archives link duplicate layers to the first copy.
                        links[name] = entry.EntryType == TarEntryType.HardLink
                            ? Normalize(entry.LinkName)
                            : Normalize(Path.GetRelativePath(".", Path.Combine(Path.GetDirectoryName(name) ?? string.Empty, entry.LinkName)));
                        break;
                }
            }

            if (entries == 0)
            {
                throw StrataException.Invalid("ARCHIVE_INVALID", "invalid archive: empty input");
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or ZstdSharp.ZstdException)
        {
            throw StrataException.Invalid("ARCHIVE_INVALID", $"invalid archive: {e.Message}", e);
        }

        (Digest Digest, long Size) File(string path)
        {
            for (var hops = 0; hops < 16 && links.TryGetValue(path, out var target); hops++)
            {
                path = target;
            }

            return files.TryGetValue(path, out var f)
                ? f
                : throw StrataException.Invalid("ARCHIVE_INVALID", $"invalid archive: {path} is referenced but not in the archive");
        }

        if (documents.TryGetValue("manifest.json", out var dockerManifest))
        {
            return await LoadDockerAsync(dockerManifest, documents, File, cancellationToken).ConfigureAwait(false);
        }

        if (documents.TryGetValue("index.json", out var index))
        {
            return await LoadOciAsync(index, cancellationToken).ConfigureAwait(false);
        }

        throw StrataException.Invalid("ARCHIVE_INVALID", "invalid archive: no manifest.json or index.json (not a docker-archive or oci-archive)");
    }

    private async Task ReadFileAsync(TarEntry entry, string name, Dictionary<string, (Digest, long)> files, Dictionary<string, byte[]> documents, CancellationToken ct)
    {
        var data = entry.DataStream ?? Stream.Null;
        var isBlob = TryBlobDigest(name, out var expected);
        if (!isBlob && (name.EndsWith(".json", StringComparison.Ordinal) || name is "repositories" or "oci-layout") && entry.Length <= MaxDocumentSize)
        {
            using var ms = new MemoryStream();
            await data.CopyToAsync(ms, ct).ConfigureAwait(false);
            documents[name] = ms.ToArray();
            if (name is "manifest.json" or "index.json" or "repositories" or "oci-layout")
            {
                return;
            }

            // A legacy <id>.json config: it is also a blob.
            var bytes = documents[name];
            var d = await new ImageWriter(_content, _images).PutAsync(bytes, ct).ConfigureAwait(false);
            files[name] = (d, bytes.Length);
            return;
        }

        if (isBlob && await _content.InfoAsync(expected, ct).ConfigureAwait(false) is { } info && info.Size == entry.Length)
        {
            files[name] = (expected, entry.Length);
            return;
        }

        await using var w = await _content.OpenWriterAsync($"load-{Environment.ProcessId}-{Guid.NewGuid():N}", ct).ConfigureAwait(false);
        var committed = false;
        try
        {
            await w.CopyFromAsync(data, ct).ConfigureAwait(false);
            if (w.Offset != entry.Length)
            {
                throw StrataException.Invalid("ARCHIVE_INVALID", $"invalid archive: {name} is truncated");
            }

            var digest = await w.CommitAsync(entry.Length, isBlob ? expected : null, ct).ConfigureAwait(false);
            committed = true;
            files[name] = (digest, entry.Length);
        }
        catch (StrataException e) when (e.Kind == ErrorKind.DataLoss)
        {
            committed = true;
            throw StrataException.Invalid("ARCHIVE_INVALID", $"invalid archive: {name}: {e.Message}");
        }
        finally
        {
            if (!committed)
            {
                await w.AbortAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private async Task<IReadOnlyList<LoadedImage>> LoadDockerAsync(byte[] manifestJson, Dictionary<string, byte[]> documents, Func<string, (Digest Digest, long Size)> file, CancellationToken ct)
    {
        List<DockerArchiveEntry> entries;
        try
        {
            entries = JsonSerializer.Deserialize(manifestJson, ArchiveJsonContext.Default.ListDockerArchiveEntry) ?? [];
        }
        catch (JsonException e)
        {
            throw StrataException.Invalid("ARCHIVE_INVALID", $"invalid archive: manifest.json: {e.Message}", e);
        }

        // docker 25+ archives carry the original manifests in index.json: prefer them so digests survive.
        var known = new List<ImageManifest>();
        if (documents.TryGetValue("index.json", out var indexJson))
        {
            foreach (var d in ImageIndex.Parse(indexJson).Manifests.Where(m => MediaTypes.IsManifest(m.MediaType)))
            {
                if (await _content.InfoAsync(d.Digest, ct).ConfigureAwait(false) is not null)
                {
                    known.Add(ImageManifest.Parse(await ReadAsync(d.Digest, ct).ConfigureAwait(false)));
                }
            }
        }

        var writer = new ImageWriter(_content, _images);
        var loaded = new List<LoadedImage>();
        foreach (var e in entries)
        {
            var (configDigest, configSize) = file(Normalize(e.Config));
            var config = ImageConfig.Parse(await ReadAsync(configDigest, ct).ConfigureAwait(false));
            var layers = e.Layers.Select(l => file(Normalize(l))).ToList();
            if (layers.Count != config.RootFs.DiffIds.Count)
            {
                throw StrataException.Invalid("ARCHIVE_INVALID", $"invalid archive: {e.Layers.Count} layers for {config.RootFs.DiffIds.Count} diff IDs in {e.Config}");
            }

            var manifest = known.FirstOrDefault(m => m.Config.Digest == configDigest && m.Layers.Select(l => l.Digest).SequenceEqual(layers.Select(l => l.Digest)));
            Digest manifestDigest;
            if (manifest is not null)
            {
                manifestDigest = manifest.Digest;
            }
            else
            {
                var descriptors = new List<Descriptor>();
                for (var i = 0; i < layers.Count; i++)
                {
                    var kind = await SniffAsync(layers[i].Digest, ct).ConfigureAwait(false);
                    if (kind == LayerCompression.None && layers[i].Digest != config.RootFs.DiffIds[i])
                    {
                        throw StrataException.Invalid("ARCHIVE_INVALID", $"invalid archive: layer {e.Layers[i]} does not match diff ID {config.RootFs.DiffIds[i]}");
                    }

                    descriptors.Add(new Descriptor
                    {
                        MediaType = kind switch
                        {
                            LayerCompression.Gzip => MediaTypes.DockerLayerGzip,
                            LayerCompression.Zstd => MediaTypes.OciLayerZstd,
                            _ => ImageWriter.DockerLayerUncompressed,
                        },
                        Digest = layers[i].Digest,
                        Size = layers[i].Size,
                    });
                }

                var oci = descriptors.Any(d => d.MediaType == MediaTypes.OciLayerZstd);
                var built = new ImageManifest
                {
                    MediaType = oci ? MediaTypes.OciManifest : MediaTypes.DockerManifest,
                    Config = new Descriptor { MediaType = oci ? MediaTypes.OciConfig : MediaTypes.DockerConfig, Digest = configDigest, Size = configSize },
                    Layers = oci ? descriptors.Select(d => d with { MediaType = ImageWriter.LayerMediaType(d.MediaType, ImageFormat.Oci) }).ToList() : descriptors,
                }.Seal();
                manifestDigest = await writer.PutAsync(built.Raw, ct).ConfigureAwait(false);
            }

            var names = (e.RepoTags ?? []).Select(Reference.Parse).ToList();
            loaded.Add(await RegisterAsync(manifestDigest, names, ct).ConfigureAwait(false));
        }

        return loaded;
    }

    private async Task<IReadOnlyList<LoadedImage>> LoadOciAsync(byte[] indexJson, CancellationToken ct)
    {
        var index = ImageIndex.Parse(indexJson);
        var loaded = new List<LoadedImage>();
        foreach (var d in index.Manifests)
        {
            var target = d;
            if (MediaTypes.IsIndex(ManifestKind.Detect((await ReadAsync(d.Digest, ct).ConfigureAwait(false)).AsSpan(), d.MediaType)))
            {
                var nested = ImageIndex.Parse(await ReadAsync(d.Digest, ct).ConfigureAwait(false));
                target = nested.SelectManifest(Platform.Host) ?? nested.Manifests.FirstOrDefault(m => MediaTypes.IsManifest(m.MediaType))
                    ?? throw StrataException.Invalid("ARCHIVE_INVALID", $"invalid archive: index {d.Digest} has no image for {Platform.Host}");
            }

            var names = new List<Reference>();
            var annotations = d.Annotations ?? new Dictionary<string, string>();
            if (annotations.TryGetValue("io.containerd.image.name", out var full) && Reference.TryParse(full, out var r1))
            {
                names.Add(r1);
            }
            else if (annotations.TryGetValue("org.opencontainers.image.ref.name", out var refName)
                && (refName.Contains('/', StringComparison.Ordinal) || refName.Contains(':', StringComparison.Ordinal))
                && Reference.TryParse(refName, out var r2))
            {
                // podman writes the full name here; a bare tag ("latest") names nothing.
                names.Add(r2);
            }

            var image = await RegisterAsync(target.Digest, names, ct).ConfigureAwait(false);
            var same = loaded.FindIndex(l => l.Id == image.Id);
            if (same >= 0)
            {
                loaded[same] = loaded[same] with { Names = [.. loaded[same].Names, .. image.Names] };
            }
            else
            {
                loaded.Add(image);
            }
        }

        return loaded;
    }

    private async Task<LoadedImage> RegisterAsync(Digest manifestDigest, IReadOnlyList<Reference> names, CancellationToken ct)
    {
        ImageRecord? image = null;
        if (names.Count == 0)
        {
            image = await _images.RegisterAsync(manifestDigest, null, null, ct).ConfigureAwait(false);
        }

        foreach (var n in names)
        {
            image = await _images.RegisterAsync(manifestDigest, n, null, ct).ConfigureAwait(false);
        }

        return new LoadedImage(image!.Id, names);
    }

    private async Task<LayerCompression> SniffAsync(Digest blob, CancellationToken ct)
    {
        await using var s = await _content.OpenReadAsync(blob, ct).ConfigureAwait(false);
        var (kind, _) = await Compression.SniffAsync(s, ct).ConfigureAwait(false);
        return kind;
    }

    private async Task<byte[]> ReadAsync(Digest digest, CancellationToken ct)
    {
        await using var s = await _content.OpenReadAsync(digest, ct).ConfigureAwait(false);
        using var ms = new MemoryStream();
        await s.CopyToAsync(ms, ct).ConfigureAwait(false);
        return ms.ToArray();
    }

    private static bool TryBlobDigest(string name, out Digest digest)
    {
        digest = default;
        var parts = name.Split('/');
        return parts.Length == 3 && parts[0] == "blobs" && Digest.TryParse($"{parts[1]}:{parts[2]}", out digest);
    }

    private static string Normalize(string name)
    {
        var n = name.Replace('\\', '/');
        while (n.StartsWith("./", StringComparison.Ordinal))
        {
            n = n[2..];
        }

        return n.TrimStart('/');
    }
}
