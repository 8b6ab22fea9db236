using System.Formats.Tar;
using System.Text.Json;
using Strata.Oci;
using Strata.Storage.Content;

namespace Strata.Storage.Images.Archives;

/// <summary>
/// <c>save</c>: writes images as a docker-archive (manifest.json, repositories and, as docker 25+ does, an OCI
/// layout with index.json and blobs/sha256 in the same tar) or an oci-archive. Blobs are written as stored,
/// so a saved image keeps its digests; each blob is written once however many images share it.
/// </summary>
public sealed class ImageArchiveWriter
{
    private readonly IImageStore _images;
    private readonly IContentProvider _content;

    public ImageArchiveWriter(IImageStore images, IContentProvider content)
    {
        _images = images;
        _content = content;
    }

    public async Task SaveAsync(IReadOnlyList<string> namesOrIds, Stream output, ArchiveFormat format, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(namesOrIds);
        ArgumentNullException.ThrowIfNull(output);
        var selected = new List<(ImageRecord Image, List<Reference> Tags)>();
        foreach (var arg in namesOrIds)
        {
            var image = await _images.ResolveAsync(arg, cancellationToken).ConfigureAwait(false);
            var tags = TagsFor(arg, image);
            var existing = selected.FindIndex(s => s.Image.Id == image.Id);
            if (existing >= 0)
            {
                selected[existing].Tags.AddRange(tags.Where(t => !selected[existing].Tags.Contains(t)));
            }
            else
            {
                selected.Add((image, tags));
            }
        }

        var written = new HashSet<Digest>();
        var index = new List<Descriptor>();
        var dockerManifest = new List<DockerArchiveEntry>();
        var repositories = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        await using var tar = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen: true);
        await WriteBytesAsync(tar, "oci-layout", JsonSerializer.SerializeToUtf8Bytes(new OciLayoutHeader(), ArchiveJsonContext.Default.OciLayoutHeader), cancellationToken).ConfigureAwait(false);
        await WriteDirAsync(tar, "blobs/", cancellationToken).ConfigureAwait(false);
        await WriteDirAsync(tar, "blobs/sha256/", cancellationToken).ConfigureAwait(false);
        foreach (var (image, tags) in selected)
        {
            var (manifest, config) = await _images.ReadAsync(image, cancellationToken).ConfigureAwait(false);
            foreach (var d in manifest.Layers.Select(l => l.Digest).Prepend(manifest.Config.Digest))
            {
                if (written.Add(d))
                {
                    await WriteBlobAsync(tar, d, cancellationToken).ConfigureAwait(false);
                }
            }

            var raw = manifest.Raw;
            var mediaType = image.ManifestMediaType;
            if (format == ArchiveFormat.OciArchive && mediaType != MediaTypes.OciManifest)
            {
                // An OCI layout wants OCI media types (umoci refuses others): same blobs, new manifest.
                raw = (manifest with
                {
                    MediaType = MediaTypes.OciManifest,
                    Config = manifest.Config with { MediaType = MediaTypes.OciConfig },
                    Layers = manifest.Layers.Select(l => l with { MediaType = ImageWriter.LayerMediaType(l.MediaType, ImageFormat.Oci) }).ToList(),
                }).Seal().Raw;
                mediaType = MediaTypes.OciManifest;
            }

            var manifestDigest = Digest.Compute(raw.Span);
            if (written.Add(manifestDigest))
            {
                await WriteBytesAsync(tar, BlobName(manifestDigest), raw, cancellationToken).ConfigureAwait(false);
            }

            var descriptor = new Descriptor { MediaType = mediaType, Digest = manifestDigest, Size = raw.Length };
            if (tags.Count == 0)
            {
                index.Add(descriptor);
            }

            foreach (var t in tags)
            {
                index.Add(descriptor with
                {
                    Annotations = new Dictionary<string, string>(StringComparer.Ordinal)
                    {
                        ["io.containerd.image.name"] = t.ToString(),
                        ["org.opencontainers.image.ref.name"] = t.Tag ?? Reference.DefaultTag,
                    },
                });
                if (!repositories.TryGetValue(t.FamiliarName, out var repo))
                {
                    repositories[t.FamiliarName] = repo = new Dictionary<string, string>(StringComparer.Ordinal);
                }

                repo[t.Tag ?? Reference.DefaultTag] = (manifest.Layers.Count > 0 ? manifest.Layers[^1].Digest : manifest.Config.Digest).Encoded;
            }

            dockerManifest.Add(new DockerArchiveEntry
            {
                Config = BlobName(manifest.Config.Digest),
                RepoTags = tags.Count == 0 ? null : tags.Select(t => t.FamiliarString).ToList(),
                Layers = manifest.Layers.Select(l => BlobName(l.Digest)).ToList(),
            });
            _ = config;
        }

        var indexDoc = new ImageIndex { MediaType = MediaTypes.OciIndex, Manifests = index }.Seal();
        await WriteBytesAsync(tar, "index.json", indexDoc.Raw, cancellationToken).ConfigureAwait(false);
        if (format == ArchiveFormat.DockerArchive)
        {
            await WriteBytesAsync(tar, "manifest.json", JsonSerializer.SerializeToUtf8Bytes(dockerManifest, ArchiveJsonContext.Default.ListDockerArchiveEntry), cancellationToken).ConfigureAwait(false);
            if (repositories.Count > 0)
            {
                await WriteBytesAsync(tar, "repositories", JsonSerializer.SerializeToUtf8Bytes(repositories, ArchiveJsonContext.Default.DictionaryStringDictionaryStringString), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Which names go with an image into the archive: the tag given, every tag of a repository given without a tag
    /// (as docker does), none when given by ID.
    /// </summary>
    private static List<Reference> TagsFor(string arg, ImageRecord image)
    {
        if (Digest.TryParse(arg, out _) || image.Id.Encoded.StartsWith(arg.Replace("sha256:", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal))
        {
            return [];
        }

        Reference r;
        try
        {
            r = Reference.ParseAny(arg);
        }
        catch (StrataException)
        {
            return [];
        }

        if (r.Digest is not null)
        {
            return [];
        }

        if (r.Tag is null)
        {
            return image.Names.Where(n => n.Name == r.Name).ToList() is { Count: > 0 } all ? all : [];
        }

        return image.Names.Contains(r) ? [r] : [];
    }

    private static string BlobName(Digest d) => $"blobs/{d.AlgorithmName}/{d.Encoded}";

    private async Task WriteBlobAsync(TarWriter tar, Digest digest, CancellationToken cancellationToken)
    {
        await using var data = await _content.OpenReadAsync(digest, cancellationToken).ConfigureAwait(false);
        var entry = new UstarTarEntry(TarEntryType.RegularFile, BlobName(digest))
        {
            DataStream = data,
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            ModificationTime = DateTimeOffset.UnixEpoch,
        };
        await tar.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteBytesAsync(TarWriter tar, string name, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        using var ms = new MemoryStream(bytes.ToArray(), writable: false);
        var entry = new UstarTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = ms,
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            ModificationTime = DateTimeOffset.UnixEpoch,
        };
        await tar.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteDirAsync(TarWriter tar, string name, CancellationToken cancellationToken)
    {
        var entry = new UstarTarEntry(TarEntryType.Directory, name)
        {
            Mode = (UnixFileMode)0b111_101_101,
            ModificationTime = DateTimeOffset.UnixEpoch,
        };
        await tar.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
    }
}
