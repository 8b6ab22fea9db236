using Strata.Distribution.Protocol;
using Strata.Distribution.Transport;
using Strata.Oci;
using Strata.Storage.Content;
using Strata.Storage.Images;

namespace Strata.Distribution.Push;

/// <summary>
/// <c>push</c>: the stored blobs and manifest bytes go up unchanged (digests stay what they are locally). Per blob:
/// HEAD (skip when there), cross-repository mount when the blob is known in another repository of the same registry,
/// else upload (one PUT for small blobs, PATCH then PUT for the rest, resumed from the registry's offset or restarted
/// after a broken connection); then the manifest PUT under the tag.
/// </summary>
public sealed class ImagePusher
{
    private readonly RegistryClientFactory _registries;
    private readonly ImageStore _images;
    private readonly IContentStore _content;
    private readonly BlobSources? _sources;
    private readonly TransferPolicy _policy;

    public ImagePusher(RegistryClientFactory registries, ImageStore images, IContentStore content, BlobSources? sources = null, TransferPolicy? policy = null)
    {
        _registries = registries;
        _images = images;
        _content = content;
        _sources = sources;
        _policy = policy ?? TransferPolicy.Default;
    }

    /// <summary>Pushes the local image named <paramref name="reference"/> (with a tag) to its registry.</summary>
    public async Task<PushResult> PushAsync(Reference reference, IProgress<TransferEvent>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Digest is not null || reference.Tag is null)
        {
            throw StrataException.Invalid("REFERENCE_INVALID", $"push needs a tag: {reference.FamiliarString}");
        }

        var image = await _images.TryResolveAsync(reference.ToString(), cancellationToken).ConfigureAwait(false)
            ?? throw StrataException.NotFound("IMAGE_NOT_FOUND", $"An image does not exist locally with the tag: {reference.Repository.FamiliarName}");
        using var client = await _registries.ConnectAsync(_registries.PushEndpoint(reference.Domain), cancellationToken: cancellationToken).ConfigureAwait(false);
        return await PushAsync(client, image, reference, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The local tags of a repository (<c>push -a</c>).</summary>
    public async Task<IReadOnlyList<Reference>> LocalTagsAsync(Reference repository, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var result = new List<Reference>();
        await foreach (var image in _images.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            result.AddRange(image.Names.Where(n => n.Name == repository.Name && n.Tag is not null));
        }

        return [.. result.DistinctBy(r => r.ToString()).OrderBy(r => r.Tag, StringComparer.Ordinal)];
    }

    private async Task<PushResult> PushAsync(RegistryClient client, ImageRecord image, Reference reference, IProgress<TransferEvent>? progress, CancellationToken cancellationToken)
    {
        var repo = reference.Path;
        var raw = await ReadAllAsync(image.ManifestDigest, cancellationToken).ConfigureAwait(false);
        var mediaType = ManifestKind.Detect(raw, image.ManifestMediaType);
        var manifest = ImageManifest.Parse(raw);
        var layers = manifest.Layers.DistinctBy(l => l.Digest).ToList();
        foreach (var l in layers)
        {
            progress?.Report(new TransferEvent(TransferStatus.Preparing, l.Digest.Encoded[..12]));
        }

        var parallel = Math.Max(1, _policy.MaxConcurrentUploads);
        var blobs = layers.Select(l => (Descriptor: l, Show: true)).Append((Descriptor: manifest.Config, Show: false)).ToList();
        foreach (var b in blobs.Skip(parallel).Where(b => b.Show))
        {
            progress?.Report(new TransferEvent(TransferStatus.Waiting, b.Descriptor.Digest.Encoded[..12]));
        }

        // The first failure cancels the other uploads and is the one reported.
        await Parallel.ForEachAsync(blobs, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellationToken },
            async (b, ct) => await PushBlobAsync(client, reference.Domain, repo, b.Descriptor, b.Show ? progress : null, ct).ConfigureAwait(false)).ConfigureAwait(false);

        var digest = await client.Manifests.PutAsync(repo, reference.Tag!, mediaType, raw, cancellationToken).ConfigureAwait(false);
        if (_sources is not null)
        {
            await _sources.RecordAsync(reference.Domain, repo, blobs.Select(b => b.Descriptor.Digest), cancellationToken).ConfigureAwait(false);
        }

        // The pushed name now has a repo digest, as after docker push.
        await _images.RegisterAsync(image.ManifestDigest, null, reference.Repository.WithDigest(digest), cancellationToken).ConfigureAwait(false);
        return new PushResult(reference, digest, raw.Length);
    }

    private async Task PushBlobAsync(RegistryClient client, string registry, string repo, Descriptor blob, IProgress<TransferEvent>? progress, CancellationToken cancellationToken)
    {
        var id = blob.Digest.Encoded[..12];
        var info = await _content.InfoAsync(blob.Digest, cancellationToken).ConfigureAwait(false)
            ?? throw StrataException.NotFound("BLOB_UNKNOWN", $"blob {blob.Digest} is not in the local store; pull or load the image again");
        if (info.Size != blob.Size)
        {
            throw StrataException.DataLoss(ErrorCodes.SizeMismatch, $"local blob {blob.Digest} is {info.Size} bytes, the manifest says {blob.Size}");
        }

        if (await client.Blobs.HeadAsync(repo, blob.Digest, cancellationToken).ConfigureAwait(false) is not null)
        {
            progress?.Report(new TransferEvent(TransferStatus.LayerAlreadyExists, id));
            return;
        }

        UploadSession? session = null;
        if (_policy.CrossRepositoryMount && _sources is not null)
        {
            foreach (var from in (await _sources.RepositoriesAsync(blob.Digest, registry, cancellationToken).ConfigureAwait(false)).Where(r => r != repo).Take(3))
            {
                try
                {
                    session = await client.Uploads.StartAsync(repo, blob.Digest, from, cancellationToken).ConfigureAwait(false);
                }
                catch (RegistryException e) when (e.Kind is ErrorKind.Denied or ErrorKind.Unauthenticated or ErrorKind.NotFound)
                {
                    // No pull access to the source: upload instead.
                    continue;
                }

                if (session.Completed)
                {
                    progress?.Report(new TransferEvent(TransferStatus.MountedFrom, id, Detail: from));
                    return;
                }

                break; // 202: the registry opened an ordinary upload instead
            }
        }

        await UploadAsync(client, repo, blob, session, progress, cancellationToken).ConfigureAwait(false);
        progress?.Report(new TransferEvent(TransferStatus.Pushed, id));
    }

    /// <summary>
    /// Uploads a blob from the content store. On a broken connection it asks the registry where the upload stands
    /// and goes on from there; when the registry cannot say (distribution invalidates an upload whose PATCH broke),
    /// it starts a new upload.
    /// </summary>
    private async Task UploadAsync(RegistryClient client, string repo, Descriptor blob, UploadSession? session, IProgress<TransferEvent>? progress, CancellationToken cancellationToken)
    {
        var id = blob.Digest.Encoded[..12];
        await using var file = await _content.OpenReadAsync(blob.Digest, cancellationToken).ConfigureAwait(false);
        var sent = 0L;
        var lastReport = 0L;
        void Progress(long n)
        {
            sent += n;
            if (sent - lastReport >= 512 * 1024 || sent == blob.Size)
            {
                lastReport = sent;
                progress?.Report(new TransferEvent(TransferStatus.Pushing, id, Math.Min(sent, blob.Size), blob.Size));
            }
        }

        await _policy.Retry.RunAsync(async (attempt, ct) =>
        {
            if (session is not null && attempt > 1)
            {
                try
                {
                    session = await client.Uploads.StatusAsync(session.Location, repo, ct).ConfigureAwait(false);
                }
                catch (RegistryException e) when (e.Kind is ErrorKind.NotFound or ErrorKind.InvalidArgument)
                {
                    session = null;
                }
            }

            session ??= await client.Uploads.StartAsync(repo, cancellationToken: ct).ConfigureAwait(false);
            var offset = session.Offset;
            if (offset > blob.Size)
            {
                session = await client.Uploads.StartAsync(repo, cancellationToken: ct).ConfigureAwait(false);
                offset = 0;
            }

            sent = offset;
            lastReport = offset;
            if (blob.Size <= _policy.MonolithicMaxSize && offset == 0)
            {
                await client.Uploads.CompleteAsync(session.Location, repo, blob.Digest, new SliceStream(file, 0, blob.Size, Progress), blob.Size, 0, ct).ConfigureAwait(false);
                return true;
            }

            while (offset < blob.Size)
            {
                var length = Math.Min(_policy.ChunkSize ?? long.MaxValue, blob.Size - offset);
                var next = await client.Uploads.PatchAsync(session.Location, repo, new SliceStream(file, offset, length, Progress), offset, length, ct).ConfigureAwait(false);
                // Trust the registry's account of what it has; a registry that lost bytes makes us resend them.
                offset = next.Offset > 0 && next.Offset <= blob.Size ? next.Offset : offset + length;
                session = next with { Offset = offset };
            }

            try
            {
                await client.Uploads.CompleteAsync(session.Location, repo, blob.Digest, null, 0, offset, ct).ConfigureAwait(false);
            }
            catch (RegistryException e) when (e.Code is "DIGEST_INVALID" or "BLOB_UPLOAD_INVALID" or "SIZE_INVALID")
            {
                // What the registry assembled is not the blob (a resume at a wrong offset): start over, once more.
                session = null;
                throw StrataException.Unavailable("UPLOAD_RESTART", $"blob {blob.Digest}: registry rejected the assembled upload ({e.Message}); restarting it", e);
            }

            return true;
        }, (attempt, e, delay) => progress?.Report(new TransferEvent(TransferStatus.Retrying, id, attempt, _policy.Retry.MaxAttempts, $"{e.Message}; retrying in {delay.TotalSeconds:0.#} s")),
        cancellationToken).ConfigureAwait(false);
    }

    private async Task<byte[]> ReadAllAsync(Digest digest, CancellationToken cancellationToken)
    {
        await using var s = await _content.OpenReadAsync(digest, cancellationToken).ConfigureAwait(false);
        using var ms = new MemoryStream();
        await s.CopyToAsync(ms, cancellationToken).ConfigureAwait(false);
        return ms.ToArray();
    }
}
