using Microsoft.AspNetCore.Http;
using Strata.Oci;
using Strata.Registry.Auth;
using Strata.Registry.Metadata;

namespace Strata.Registry.Api;

/// <summary>Manifests: GET/HEAD/PUT/DELETE by tag or digest.</summary>
public sealed partial class DistributionApi
{
    /// <summary>Image configs larger than this are not read for the platform (real ones are a few kB).</summary>
    private const long MaxConfigForPlatform = 1024 * 1024;

    private async Task ManifestAsync(HttpContext context, Principal? principal, string repo, string reference, CancellationToken ct)
    {
        var method = context.Request.Method;
        var isDigest = reference.Contains(':', StringComparison.Ordinal);
        if (isDigest)
        {
            _ = ParseDigest(reference);
        }
        else if (!RegistryRouteParser.IsValidTag(reference))
        {
            // No manifest can live under a name that is not a tag: reading or deleting it is "unknown" (404, as
            // distribution and the OCI conformance suite expect); writing under it is the client's mistake (400).
            if (method != "PUT")
            {
                Require(context, principal, repo, method == "DELETE" ? RegistryAction.Delete : RegistryAction.Pull, true);
                throw RegistryApiException.ManifestUnknown(reference);
            }

            throw new RegistryApiException(400, DistributionErrorCodes.ManifestInvalid, "invalid tag", reference);
        }

        switch (method)
        {
            case "GET" or "HEAD":
                Require(context, principal, repo, RegistryAction.Pull, true);
                await GetManifestAsync(context, repo, reference, isDigest, ct).ConfigureAwait(false);
                break;
            case "PUT":
                Require(context, principal, repo, RegistryAction.Push, true);
                await PutManifestAsync(context, repo, reference, isDigest, ct).ConfigureAwait(false);
                break;
            case "DELETE":
                Require(context, principal, repo, RegistryAction.Delete, true);
                var deleted = isDigest
                    ? await _meta.Manifests.DeleteManifestAsync(repo, Digest.Parse(reference), ct).ConfigureAwait(false)
                    : await _meta.Manifests.DeleteTagAsync(repo, reference, ct).ConfigureAwait(false);
                if (!deleted)
                {
                    throw RegistryApiException.ManifestUnknown(reference);
                }

                context.Response.StatusCode = 202;
                break;
            default:
                throw RegistryApiException.Unsupported($"{method} is not supported on manifests");
        }
    }

    private async Task GetManifestAsync(HttpContext context, string repo, string reference, bool isDigest, CancellationToken ct)
    {
        StoredManifest? stored = null;
        if (_upstream is not null && !isDigest)
        {
            // A tag may have moved upstream: ask it first, serve the cached copy when it is unreachable.
            stored = await CacheUpstreamManifestAsync(repo, reference, ct).ConfigureAwait(false);
        }

        stored ??= await _meta.Manifests.GetManifestAsync(repo, reference, ct).ConfigureAwait(false);
        if (stored is null && _upstream is not null && isDigest)
        {
            stored = await CacheUpstreamManifestAsync(repo, reference, ct).ConfigureAwait(false);
        }

        if (stored is null)
        {
            if (!isDigest && !await _meta.Catalog.RepositoryExistsAsync(repo, ct).ConfigureAwait(false))
            {
                throw new RegistryApiException(404, DistributionErrorCodes.ManifestUnknown, "manifest unknown", $"{repo}:{reference}");
            }

            throw RegistryApiException.ManifestUnknown(reference);
        }

        var response = context.Response;
        response.ContentType = stored.MediaType;
        response.ContentLength = stored.Size;
        response.Headers["Docker-Content-Digest"] = stored.Digest.ToString();
        response.Headers.ETag = $"\"{stored.Digest}\"";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        await SendBlobAsync(context, stored.Digest, _blobs.LocalPath(stored.Digest), 0, stored.Size, ct).ConfigureAwait(false);
    }

    private async Task PutManifestAsync(HttpContext context, string repo, string reference, bool isDigest, CancellationToken ct)
    {
        var request = context.Request;
        SetBodyLimit(context, ManifestFacts.MaxSize + 1);
        if (request.ContentLength > ManifestFacts.MaxSize)
        {
            throw new RegistryApiException(413, DistributionErrorCodes.SizeInvalid, $"manifest larger than {ManifestFacts.MaxSize} bytes");
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct).ConfigureAwait(false);
        if (buffer.Length > ManifestFacts.MaxSize)
        {
            throw new RegistryApiException(413, DistributionErrorCodes.SizeInvalid, $"manifest larger than {ManifestFacts.MaxSize} bytes");
        }

        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        var facts = ManifestFacts.Parse(bytes, request.ContentType);
        var algorithm = isDigest ? Digest.Parse(reference).Algorithm : DigestAlgorithm.Sha256;
        var digest = Digest.Compute(bytes.Span, algorithm);
        if (isDigest && digest != Digest.Parse(reference))
        {
            throw RegistryApiException.DigestInvalid("manifest digest does not match the content", $"computed {digest}");
        }

        var tags = new List<string>();
        if (!isDigest)
        {
            tags.Add(reference);
        }

        foreach (var t in request.Query["tag"])
        {
            if (t is null || !RegistryRouteParser.IsValidTag(t))
            {
                throw new RegistryApiException(400, DistributionErrorCodes.ManifestInvalid, "invalid tag", t);
            }

            tags.Add(t);
        }

        await StoreManifestAsync(repo, digest, bytes, facts, tags, ct).ConfigureAwait(false);
        var response = context.Response;
        response.StatusCode = 201;
        response.Headers.Location = $"/v2/{repo}/manifests/{digest}";
        response.Headers["Docker-Content-Digest"] = digest.ToString();
        if (facts.Subject is { } subject)
        {
            response.Headers["OCI-Subject"] = subject.ToString();
        }
    }

    private async Task StoreManifestAsync(string repo, Digest digest, ReadOnlyMemory<byte> bytes, ManifestFacts facts, IReadOnlyList<string> tags, CancellationToken ct)
    {
        if (await _meta.Blobs.BlobSizeAsync(digest, ct).ConfigureAwait(false) is null || await _blobs.SizeAsync(digest, ct).ConfigureAwait(false) is null)
        {
            using var content = new MemoryStream(bytes.ToArray(), writable: false);
            await _blobs.PutAsync(digest, content, bytes.Length, ct).ConfigureAwait(false);
        }

        facts = await WithImagePlatformAsync(facts, ct).ConfigureAwait(false);
        var quota = await _meta.Access.QuotaForAsync(repo, ct).ConfigureAwait(false);
        await _meta.Manifests.PutManifestAsync(repo, digest, bytes.Length, facts, tags, quota, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// An index lists its platforms; an image manifest's platform is in its config (os, architecture, variant),
    /// which is already stored when the manifest arrives. Recorded so tag lists show it for single-platform images
    /// too. A config that is missing (the push is refused later) or unreadable just leaves the platform unknown.
    /// </summary>
    private async Task<ManifestFacts> WithImagePlatformAsync(ManifestFacts facts, CancellationToken ct)
    {
        if (facts.Platforms.Count > 0 || facts.Children.Count > 0 || facts.Blobs.Count == 0
            || !MediaTypes.IsConfig(facts.Blobs[0].MediaType) || facts.Blobs[0].Size > MaxConfigForPlatform)
        {
            return facts;
        }

        try
        {
            var config = facts.Blobs[0];
            await using var stream = await _blobs.OpenReadAsync(config.Digest, 0, config.Size, ct).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, ct).ConfigureAwait(false);
            var parsed = ImageConfig.Parse(buffer.ToArray());
            return string.IsNullOrEmpty(parsed.Os) || string.IsNullOrEmpty(parsed.Architecture)
                ? facts
                : facts with { Platforms = [ManifestFacts.PlatformText(parsed.Platform)] };
        }
        catch (Exception e) when (e is IOException or StrataException)
        {
            return facts;
        }
    }
}
