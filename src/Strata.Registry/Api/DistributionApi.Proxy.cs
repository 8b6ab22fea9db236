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
        var existing = await _store.GetManifestAsync(repo, digest.ToString(), ct).ConfigureAwait(false);
        var tags = Digest.TryParse(reference, out _) ? (IReadOnlyList<string>)[] : [reference];
        if (existing is not null)
        {
            if (tags.Count > 0)
            {
                await _store.TagAsync(repo, reference, digest, ct).ConfigureAwait(false);
            }

            return existing;
        }

        // An image manifest references blobs the cache fetches lazily: link placeholders are not
        // possible, so the referenced blobs are fetched now (the client will ask for them next anyway).
        foreach (var b in facts.Blobs)
        {
            if (await _store.LinkedBlobSizeAsync(repo, b.Digest, ct).ConfigureAwait(false) is null)
            {
                _ = await CacheUpstreamBlobAsync(repo, b.Digest, ct).ConfigureAwait(false)
                    ?? throw RegistryApiException.BlobUnknown(b.Digest.ToString());
            }
        }

        foreach (var child in facts.Children)
        {
            if (await _store.GetManifestAsync(repo, child.Digest.ToString(), ct).ConfigureAwait(false) is null)
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
        if (await _content.InfoAsync(digest, ct).ConfigureAwait(false) is null)
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
                await using var writer = await _content.OpenWriterAsync($"proxy-{digest}-{Guid.NewGuid():N}", ct).ConfigureAwait(false);
                await writer.CopyFromAsync(source, ct).ConfigureAwait(false);
                await CommitAsync(writer, null, digest, ct).ConfigureAwait(false);
            }
        }

        await LinkAsync(repo, digest, ct).ConfigureAwait(false);
        return (await _content.InfoAsync(digest, ct).ConfigureAwait(false))?.Size;
    }

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "upstream fetch of {Repository} {Reference} failed")]
    private static partial void LogUpstreamFailed(Microsoft.Extensions.Logging.ILogger logger, Exception exception, string repository, string reference);
}
