using Strata.Oci;
using Strata.Registry.Metadata;

namespace Strata.Registry.Api;

/// <summary>
/// Pull-through cache: manifests and blobs missing here are fetched from the upstream, verified
/// against their digests, stored and linked, then served like any other content.
/// </summary>
public sealed partial class DistributionApi
{
    private async Task<StoredManifest?> CacheUpstreamManifestAsync(string repo, string reference, CancellationToken ct)
    {
        Proxy.UpstreamManifest? fetched;
        try
        {
            fetched = await _upstream!.GetManifestAsync(repo, reference, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is StrataException or HttpRequestException or IOException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            LogUpstreamFailed(_log, e, repo, reference);
            return null;
        }

        if (fetched is null)
        {
            return null;
        }

        var digest = Digest.Compute(fetched.Bytes, Digest.TryParse(reference, out var wanted) ? wanted.Algorithm : DigestAlgorithm.Sha256);
        if (Digest.TryParse(reference, out var expected) && expected != digest)
        {
            throw RegistryApiException.DigestInvalid("upstream manifest does not match the requested digest", digest.ToString());
        }

        var facts = ManifestFacts.Parse(fetched.Bytes, fetched.MediaType);
        var existing = await _meta.Manifests.GetManifestAsync(repo, digest.ToString(), ct).ConfigureAwait(false);
        var tags = Digest.TryParse(reference, out _) ? (IReadOnlyList<string>)[] : [reference];
        if (existing is not null)
        {
            if (tags.Count > 0)
            {
                await _meta.Manifests.TagAsync(repo, reference, digest, ct).ConfigureAwait(false);
            }

            return existing;
        }

        // An image manifest references blobs the cache fetches lazily: link placeholders are not
        // possible, so the referenced blobs are fetched now (the client will ask for them next anyway).
        foreach (var b in facts.Blobs)
        {
            if (await _meta.Blobs.LinkedBlobSizeAsync(repo, b.Digest, ct).ConfigureAwait(false) is null)
            {
                _ = await CacheUpstreamBlobAsync(repo, b.Digest, ct).ConfigureAwait(false)
                    ?? throw RegistryApiException.BlobUnknown(b.Digest.ToString());
            }
        }

        foreach (var child in facts.Children)
        {
            if (await _meta.Manifests.GetManifestAsync(repo, child.Digest.ToString(), ct).ConfigureAwait(false) is null)
            {
                _ = await CacheUpstreamManifestAsync(repo, child.Digest.ToString(), ct).ConfigureAwait(false)
                    ?? throw RegistryApiException.ManifestUnknown(child.Digest.ToString());
            }
        }

        await StoreManifestAsync(repo, digest, fetched.Bytes, facts, tags, ct).ConfigureAwait(false);
        return new StoredManifest(digest, facts.MediaType, fetched.Bytes.Length);
    }

    private async Task<long?> CacheUpstreamBlobAsync(string repo, Digest digest, CancellationToken ct)
    {
        var size = await _blobs.SizeAsync(digest, ct).ConfigureAwait(false);
        if (size is null)
        {
            Stream? source;
            try
            {
                source = await _upstream!.OpenBlobAsync(repo, digest, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is StrataException or HttpRequestException or IOException)
            {
                LogUpstreamFailed(_log, e, repo, digest.ToString());
                return null;
            }

            if (source is null)
            {
                return null;
            }

            await using (source)
            {
                size = await _blobs.PutAsync(digest, source, null, ct).ConfigureAwait(false);
            }
        }

        await LinkAsync(repo, digest, size.Value, ct).ConfigureAwait(false);
        return size;
    }

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "upstream fetch of {Repository} {Reference} failed")]
    private static partial void LogUpstreamFailed(Microsoft.Extensions.Logging.ILogger logger, Exception exception, string repository, string reference);
}
