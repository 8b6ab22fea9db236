using Microsoft.AspNetCore.Http;
using Strata.Oci;
using Strata.Registry.Auth;

namespace Strata.Registry.Api;

/// <summary>Blobs: GET (with Range) / HEAD / DELETE.</summary>
public sealed partial class DistributionApi
{
    private async Task BlobAsync(HttpContext context, Principal? principal, string repo, string reference, CancellationToken ct)
    {
        var method = context.Request.Method;
        var digest = ParseDigest(reference);
        if (method == "DELETE")
        {
            Require(context, principal, repo, RegistryAction.Delete, true);
            if (!await _meta.Blobs.UnlinkBlobAsync(repo, digest, ct).ConfigureAwait(false))
            {
                throw RegistryApiException.BlobUnknown(digest.ToString());
            }

            context.Response.StatusCode = 202;
            return;
        }

        Require(context, principal, repo, RegistryAction.Pull, method is "GET" or "HEAD");
        var size = await _meta.Blobs.LinkedBlobSizeAsync(repo, digest, ct).ConfigureAwait(false);
        if (size is null && _upstream is not null)
        {
            size = await CacheUpstreamBlobAsync(repo, digest, ct).ConfigureAwait(false);
        }

        if (size is null)
        {
            throw RegistryApiException.BlobUnknown(digest.ToString());
        }

        if (method == "GET" && _redirect is { } lifetime
            && await _blobs.RedirectUrlAsync(digest, lifetime, ct).ConfigureAwait(false) is { } url)
        {
            // As distribution's redirect option: the client fetches the bytes (and any range) from the store.
            context.Response.StatusCode = 307;
            context.Response.Headers.Location = url.AbsoluteUri;
            context.Response.Headers["Docker-Content-Digest"] = digest.ToString();
            return;
        }

        var path = _blobs.LocalPath(digest);
        if (path is not null && !File.Exists(path))
        {
            throw RegistryApiException.BlobUnknown(digest.ToString());
        }

        var response = context.Response;
        response.ContentType = "application/octet-stream";
        response.Headers["Docker-Content-Digest"] = digest.ToString();
        response.Headers.ETag = $"\"{digest}\"";
        response.Headers.AcceptRanges = "bytes";
        long offset = 0, count = size.Value;
        var range = context.Request.Headers.Range.ToString();
        if (range.Length > 0 && ByteRanges.TryParseRange(range, size.Value, out var from, out var to))
        {
            offset = from;
            count = to - from + 1;
            response.StatusCode = 206;
            response.Headers.ContentRange = $"bytes {from}-{to}/{size.Value}";
        }
        else if (range.Length > 0)
        {
            response.Headers.ContentRange = $"bytes */{size.Value}";
            throw new RegistryApiException(416, DistributionErrorCodes.BlobUnknown, "requested range not satisfiable", range);
        }

        response.ContentLength = count;
        if (method == "HEAD")
        {
            return;
        }

        await SendBlobAsync(context, digest, path, offset, count, ct).ConfigureAwait(false);
    }

    /// <summary>Sends a blob's bytes: sendfile from a local store, else a stream from the blob store.</summary>
    private async Task SendBlobAsync(HttpContext context, Digest digest, string? path, long offset, long count, CancellationToken ct)
    {
        if (path is not null)
        {
            await context.Response.SendFileAsync(path, offset, count, ct).ConfigureAwait(false);
            return;
        }

        await using var stream = await _blobs.OpenReadAsync(digest, offset, count, ct).ConfigureAwait(false);
        await context.Response.StartAsync(ct).ConfigureAwait(false);
        await stream.CopyToAsync(context.Response.Body, 1 << 16, ct).ConfigureAwait(false);
    }
}
