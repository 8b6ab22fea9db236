using System.Text.Json;
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

            throw new RegistryApiException(400, "MANIFEST_INVALID", "invalid tag", reference);
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
                    ? await _store.DeleteManifestAsync(repo, Digest.Parse(reference), ct).ConfigureAwait(false)
                    : await _store.DeleteTagAsync(repo, reference, ct).ConfigureAwait(false);
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

        stored ??= await _store.GetManifestAsync(repo, reference, ct).ConfigureAwait(false);
        if (stored is null && _upstream is not null && isDigest)
        {
            stored = await CacheUpstreamManifestAsync(repo, reference, ct).ConfigureAwait(false);
        }

        if (stored is null)
        {
            if (!isDigest && !await _store.RepositoryExistsAsync(repo, ct).ConfigureAwait(false))
            {
                throw new RegistryApiException(404, "MANIFEST_UNKNOWN", "manifest unknown", $"{repo}:{reference}");
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

        await response.SendFileAsync(_content.BlobPath(stored.Digest), 0, stored.Size, ct).ConfigureAwait(false);
    }

    private async Task PutManifestAsync(HttpContext context, string repo, string reference, bool isDigest, CancellationToken ct)
    {
        var request = context.Request;
        SetBodyLimit(context, ManifestFacts.MaxSize + 1);
        if (request.ContentLength > ManifestFacts.MaxSize)
        {
            throw new RegistryApiException(413, "SIZE_INVALID", $"manifest larger than {ManifestFacts.MaxSize} bytes");
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct).ConfigureAwait(false);
        if (buffer.Length > ManifestFacts.MaxSize)
        {
            throw new RegistryApiException(413, "SIZE_INVALID", $"manifest larger than {ManifestFacts.MaxSize} bytes");
        }

        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        var facts = ManifestFacts.Parse(bytes.Span, request.ContentType);
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
                throw new RegistryApiException(400, "MANIFEST_INVALID", "invalid tag", t);
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
        if (await _store.BlobSizeAsync(digest, ct).ConfigureAwait(false) is null || !File.Exists(_content.BlobPath(digest)))
        {
            await using var writer = await _content.OpenWriterAsync($"manifest-{digest}-{Guid.NewGuid():N}", ct).ConfigureAwait(false);
            await writer.WriteAsync(bytes, ct).ConfigureAwait(false);
            await writer.CommitAsync(bytes.Length, digest, ct).ConfigureAwait(false);
        }

        facts = await WithImagePlatformAsync(facts, ct).ConfigureAwait(false);
        var quota = await _store.QuotaForAsync(repo, ct).ConfigureAwait(false);
        await _store.PutManifestAsync(repo, digest, bytes.Length, facts, tags, quota, ct).ConfigureAwait(false);
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
            await using var stream = await _content.OpenReadAsync(facts.Blobs[0].Digest, ct).ConfigureAwait(false);
            using var doc = await JsonDocument.ParseAsync(stream, cancellationToken: ct).ConfigureAwait(false);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("os", out var os) || os.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(os.GetString())
                || !root.TryGetProperty("architecture", out var arch) || arch.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(arch.GetString()))
            {
                return facts;
            }

            var variant = root.TryGetProperty("variant", out var v) && v.ValueKind == JsonValueKind.String && !string.IsNullOrEmpty(v.GetString()) ? "/" + v.GetString() : string.Empty;
            return facts with { Platforms = [$"{os.GetString()}/{arch.GetString()}{variant}"] };
        }
        catch (Exception e) when (e is IOException or JsonException or StrataException)
        {
            return facts;
        }
    }
}
