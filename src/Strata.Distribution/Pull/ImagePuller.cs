using Strata.Distribution.Protocol;
using Strata.Distribution.Transport;
using Strata.Oci;
using Strata.Storage.Content;
using Strata.Storage.Images;

namespace Strata.Distribution.Pull;

/// <summary>
/// <c>pull</c>: manifest (an index resolved to the platform), config, then layers in parallel. Every blob streams
/// once from the registry into a content ingest named after its digest (so an interrupted pull resumes where it
/// stopped, with a Range request) and is verified on commit; blobs already stored are not fetched. The image is
/// registered only when all its blobs are in, unpacked (diffID check), and only then given its name.
/// </summary>
public sealed class ImagePuller
{
    private readonly RegistryClientFactory _registries;
    private readonly ImageStore _images;
    private readonly IContentStore _content;
    private readonly BlobSources? _sources;
    private readonly TransferPolicy _policy;

    public ImagePuller(RegistryClientFactory registries, ImageStore images, IContentStore content, BlobSources? sources = null, TransferPolicy? policy = null)
    {
        _registries = registries;
        _images = images;
        _content = content;
        _sources = sources;
        _policy = policy ?? TransferPolicy.Default;
    }

    /// <summary>Pulls <paramref name="reference"/> (a tag or a digest) for <paramref name="platform"/> (null: the host's).</summary>
    public async Task<PullResult> PullAsync(Reference reference, Platform? platform = null, IProgress<TransferEvent>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Tag is null && reference.Digest is null)
        {
            reference = reference.WithTag(Reference.DefaultTag);
        }

        var endpoints = _registries.PullEndpoints(reference.Domain);
        for (var i = 0; ; i++)
        {
            var endpoint = endpoints[i];
            try
            {
                using var client = await _registries.ConnectAsync(endpoint, cancellationToken: cancellationToken).ConfigureAwait(false);
                return await PullFromAsync(client, reference, platform, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (endpoint.IsMirror && i + 1 < endpoints.Count && !cancellationToken.IsCancellationRequested && e is StrataException or IOException or HttpRequestException)
            {
                // docker falls back to the next endpoint on any mirror failure; blobs already fetched are kept.
                progress?.Report(new TransferEvent(TransferStatus.Info, string.Empty, Detail: $"{endpoint} failed ({e.Message}); trying {endpoints[i + 1]}"));
            }
        }
    }

    /// <summary>Every tag of <paramref name="repository"/> (<c>pull -a</c>).</summary>
    public async Task<IReadOnlyList<string>> ListTagsAsync(Reference repository, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var endpoints = _registries.PullEndpoints(repository.Domain);
        for (var i = 0; ; i++)
        {
            try
            {
                using var client = await _registries.ConnectAsync(endpoints[i], cancellationToken: cancellationToken).ConfigureAwait(false);
                var tags = new List<string>();
                await foreach (var t in client.Tags.ListAsync(repository.Path, cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    tags.Add(t);
                }

                return tags;
            }
            catch (StrataException) when (endpoints[i].IsMirror && i + 1 < endpoints.Count)
            {
            }
        }
    }

    private async Task<PullResult> PullFromAsync(RegistryClient client, Reference reference, Platform? platform, IProgress<TransferEvent>? progress, CancellationToken cancellationToken)
    {
        var repo = reference.Path;
        var wanted = platform ?? Platform.Host;
        var top = await GetManifestAsync(client, reference, reference.Digest?.ToString() ?? reference.Tag!, cancellationToken).ConfigureAwait(false);
        var manifestResponse = top;
        if (top.IsIndex)
        {
            var index = ImageIndex.Parse(top.Raw);
            var chosen = index.SelectManifest(wanted)
                ?? throw StrataException.NotFound(DistributionErrors.PlatformNotFound, $"no matching manifest for {wanted} in the manifest list entries");
            manifestResponse = await GetManifestAsync(client, reference, chosen.Digest.ToString(), cancellationToken).ConfigureAwait(false);
            if (manifestResponse.IsIndex)
            {
                throw StrataException.Invalid(DistributionErrors.ManifestInvalid, $"{reference.FamiliarString}: index entry {chosen.Digest} is itself an index");
            }
        }
        else if (!MediaTypes.IsManifest(top.MediaType))
        {
            throw StrataException.Invalid(DistributionErrors.ManifestUnsupported, $"{reference.FamiliarString} is a {top.MediaType}, not an image");
        }

        var manifest = ImageManifest.Parse(manifestResponse.Raw);
        foreach (var l in manifest.Layers)
        {
            if (!MediaTypes.IsLayer(l.MediaType) && l.MediaType != ImageWriter.DockerLayerUncompressed)
            {
                throw StrataException.Invalid(DistributionErrors.LayerUnsupported, $"{reference.FamiliarString}: layer {l.Digest} has media type {l.MediaType}, which is not an image layer");
            }
        }

        var existing = reference.Tag is not null
            ? await _images.TryResolveAsync(reference.ToString(), cancellationToken).ConfigureAwait(false)
            : null;
        var upToDate = existing is not null && existing.ManifestDigest == manifestResponse.Digest;

        // The config first: it is small, and says whether the image is for the asked platform.
        await FetchBlobAsync(client, repo, manifest.Config, null, cancellationToken).ConfigureAwait(false);
        var config = await ReadConfigAsync(manifest.Config.Digest, cancellationToken).ConfigureAwait(false);
        if (platform is not null && !top.IsIndex && !platform.Matches(new Platform { Os = config.Os ?? "linux", Architecture = config.Architecture ?? string.Empty, Variant = config.Variant }))
        {
            throw StrataException.NotFound(DistributionErrors.PlatformNotFound, $"image with reference {reference.FamiliarString} was found but does not match the specified platform: wanted {platform}, actual: {config.Os}/{config.Architecture}");
        }

        if (config.RootFs.DiffIds.Count != manifest.Layers.Count)
        {
            throw StrataException.Invalid(DistributionErrors.ManifestInvalid, $"{reference.FamiliarString}: manifest has {manifest.Layers.Count} layers, config {config.RootFs.DiffIds.Count} diff IDs");
        }

        await FetchLayersAsync(client, repo, manifest.Layers, upToDate ? null : progress, cancellationToken).ConfigureAwait(false);
        await PutSmallAsync(manifestResponse.Raw, manifestResponse.Digest, cancellationToken).ConfigureAwait(false);
        if (_sources is not null)
        {
            await _sources.RecordAsync(reference.Domain, repo, manifest.Layers.Select(l => l.Digest).Append(manifest.Config.Digest), cancellationToken).ConfigureAwait(false);
        }

        var image = await RegisterAsync(reference, manifestResponse.Digest, top.Digest, manifest, existing, progress, cancellationToken).ConfigureAwait(false);
        return new PullResult(reference, top.Digest, image, upToDate);
    }

    private static async Task<ManifestResponse> GetManifestAsync(RegistryClient client, Reference reference, string tagOrDigest, CancellationToken cancellationToken)
    {
        try
        {
            return await client.Manifests.GetAsync(reference.Path, tagOrDigest, cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryException e) when (e.Kind == ErrorKind.NotFound)
        {
            var shown = reference.Repository.FamiliarName + (tagOrDigest.Contains(':', StringComparison.Ordinal) ? "@" : ":") + tagOrDigest;
            throw new RegistryException(ErrorKind.NotFound, e.Code, $"manifest for {shown} not found: {e.Message}", e.Status);
        }
        catch (RegistryException e) when (e.Kind is ErrorKind.Denied or ErrorKind.Unauthenticated)
        {
            throw new RegistryException(e.Kind, e.Code, $"pull access denied for {reference.Repository.FamiliarName}, repository does not exist or may require 'strata login': {e.Message}", e.Status);
        }
    }

    /// <summary>
    /// Registers the image nameless first, unpacks it, then points the name at it: a failed unpack (a diffID that
    /// does not match) leaves no name on a broken image, and removes an image this pull added.
    /// </summary>
    private async Task<ImageRecord> RegisterAsync(Reference reference, Digest manifestDigest, Digest repoDigest, ImageManifest manifest, ImageRecord? existing, IProgress<TransferEvent>? progress, CancellationToken cancellationToken)
    {
        var repoDigestName = reference.Repository.WithDigest(repoDigest);
        var known = await _images.TryResolveAsync(manifest.Config.Digest.ToString(), cancellationToken).ConfigureAwait(false);
        var image = await _images.RegisterAsync(manifestDigest, null, repoDigestName, cancellationToken).ConfigureAwait(false);
        if (await _images.SnapshotsAsync(cancellationToken).ConfigureAwait(false) is not null)
        {
            var shown = existing?.ManifestDigest == manifestDigest ? null : progress;
            foreach (var l in manifest.Layers)
            {
                shown?.Report(new TransferEvent(TransferStatus.Extracting, l.Digest.Encoded[..12], 0, l.Size));
            }

            try
            {
                await _images.UnpackAsync(image, cancellationToken).ConfigureAwait(false);
            }
            catch (StrataException) when (known is null)
            {
                await _images.RemoveAsync(image.Id.ToString(), force: true, CancellationToken.None).ConfigureAwait(false);
                throw;
            }
        }

        if (existing?.ManifestDigest != manifestDigest)
        {
            foreach (var l in manifest.Layers)
            {
                progress?.Report(new TransferEvent(TransferStatus.PullComplete, l.Digest.Encoded[..12]));
            }
        }

        return reference.Tag is null
            ? image
            : await _images.RegisterAsync(manifestDigest, reference.Repository.WithTag(reference.Tag), repoDigestName, cancellationToken).ConfigureAwait(false);
    }

    private async Task FetchLayersAsync(RegistryClient client, string repo, IReadOnlyList<Descriptor> layers, IProgress<TransferEvent>? progress, CancellationToken cancellationToken)
    {
        var distinct = layers.DistinctBy(l => l.Digest).ToList();
        var missing = new List<Descriptor>();
        foreach (var l in distinct)
        {
            var info = await _content.InfoAsync(l.Digest, cancellationToken).ConfigureAwait(false);
            if (info is not null && info.Size == l.Size)
            {
                progress?.Report(new TransferEvent(TransferStatus.AlreadyExists, l.Digest.Encoded[..12]));
            }
            else
            {
                progress?.Report(new TransferEvent(TransferStatus.PullingFsLayer, l.Digest.Encoded[..12]));
                missing.Add(l);
            }
        }

        var parallel = Math.Max(1, _policy.MaxConcurrentDownloads);
        foreach (var l in missing.Skip(parallel))
        {
            progress?.Report(new TransferEvent(TransferStatus.Waiting, l.Digest.Encoded[..12]));
        }

        // The first failure cancels the other downloads and is the one reported.
        await Parallel.ForEachAsync(missing, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellationToken },
            async (l, ct) => await FetchBlobAsync(client, repo, l, progress, ct).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>
    /// Streams one blob into the content store, resuming a partial ingest with a Range request, retrying transient
    /// failures; the commit verifies size and digest (a mismatch discards the bytes and fails without retry).
    /// </summary>
    private async Task FetchBlobAsync(RegistryClient client, string repo, Descriptor blob, IProgress<TransferEvent>? progress, CancellationToken cancellationToken)
    {
        var id = blob.Digest.Encoded[..12];
        var ingestRef = "pull-" + blob.Digest;
        await _policy.Retry.RunAsync(async (attempt, ct) =>
        {
            var writer = await OpenIngestAsync(ingestRef, blob.Digest, ct).ConfigureAwait(false);
            if (writer is null)
            {
                progress?.Report(new TransferEvent(TransferStatus.DownloadComplete, id));
                return true;
            }

            await using (writer.ConfigureAwait(false))
            {
                if (writer.Offset > blob.Size)
                {
                    await writer.TruncateAsync(0, ct).ConfigureAwait(false);
                }

                if (writer.Offset < blob.Size || blob.Size == 0)
                {
                    await DownloadAsync(client, repo, blob, writer, progress, ct).ConfigureAwait(false);
                }

                progress?.Report(new TransferEvent(TransferStatus.VerifyingChecksum, id));
                await writer.CommitAsync(blob.Size, blob.Digest, ct).ConfigureAwait(false);
            }

            progress?.Report(new TransferEvent(TransferStatus.DownloadComplete, id));
            return true;
        }, (attempt, e, delay) => progress?.Report(new TransferEvent(TransferStatus.Retrying, id, attempt, _policy.Retry.MaxAttempts, $"{e.Message}; retrying in {delay.TotalSeconds:0.#} s")),
        cancellationToken).ConfigureAwait(false);
    }

    private static async Task DownloadAsync(RegistryClient client, string repo, Descriptor blob, IContentWriter writer, IProgress<TransferEvent>? progress, CancellationToken cancellationToken)
    {
        var id = blob.Digest.Encoded[..12];
        BlobResponse body;
        try
        {
            body = await client.Blobs.OpenAsync(repo, blob.Digest, writer.Offset, cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryException e) when (e.Code == DistributionErrors.RangeInvalid && writer.Offset > 0)
        {
            await writer.TruncateAsync(0, cancellationToken).ConfigureAwait(false);
            body = await client.Blobs.OpenAsync(repo, blob.Digest, 0, cancellationToken).ConfigureAwait(false);
        }

        using (body)
        {
            if (body.Start != writer.Offset)
            {
                await writer.TruncateAsync(body.Start, cancellationToken).ConfigureAwait(false);
            }

            var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 20);
            try
            {
                var lastReport = 0L;
                int n;
                while ((n = await body.Content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (writer.Offset + n > blob.Size)
                    {
                        await writer.AbortAsync(CancellationToken.None).ConfigureAwait(false);
                        throw StrataException.DataLoss(ErrorCodes.SizeMismatch, $"blob {blob.Digest}: registry sent more than the {blob.Size} bytes the manifest says");
                    }

                    await writer.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                    if (writer.Offset - lastReport >= 512 * 1024 || writer.Offset == blob.Size)
                    {
                        lastReport = writer.Offset;
                        progress?.Report(new TransferEvent(TransferStatus.Downloading, id, writer.Offset, blob.Size));
                    }
                }
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        if (writer.Offset < blob.Size)
        {
            throw new IOException($"blob {blob.Digest}: connection closed after {writer.Offset} of {blob.Size} bytes");
        }
    }

    /// <summary>Opens (or resumes) the ingest for a blob; null when the blob is already committed. Waits while another process writes it.</summary>
    private async Task<IContentWriter?> OpenIngestAsync(string ingestRef, Digest digest, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await _content.InfoAsync(digest, cancellationToken).ConfigureAwait(false) is not null)
            {
                return null;
            }

            try
            {
                return await _content.OpenWriterAsync(ingestRef, cancellationToken).ConfigureAwait(false);
            }
            catch (StrataException e) when (e.Code == ContentErrors.IngestLocked)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<ImageConfig> ReadConfigAsync(Digest digest, CancellationToken cancellationToken)
    {
        await using var s = await _content.OpenReadAsync(digest, cancellationToken).ConfigureAwait(false);
        using var ms = new MemoryStream();
        await s.CopyToAsync(ms, cancellationToken).ConfigureAwait(false);
        return ImageConfig.Parse(ms.ToArray());
    }

    private async Task PutSmallAsync(ReadOnlyMemory<byte> data, Digest digest, CancellationToken cancellationToken)
    {
        if (await _content.InfoAsync(digest, cancellationToken).ConfigureAwait(false) is not null)
        {
            return;
        }

        await using var w = await _content.OpenWriterAsync($"put-{digest}-{Environment.ProcessId}-{Guid.NewGuid():N}", cancellationToken).ConfigureAwait(false);
        await w.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        await w.CommitAsync(data.Length, digest, cancellationToken).ConfigureAwait(false);
    }
}
