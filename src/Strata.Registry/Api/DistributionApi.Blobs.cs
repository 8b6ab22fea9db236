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
            if (!await _store.UnlinkBlobAsync(repo, digest, ct).ConfigureAwait(false))
            {
                throw RegistryApiException.BlobUnknown(digest.ToString());
            }

            context.Response.StatusCode = 202;
            return;
        }

        Require(context, principal, repo, RegistryAction.Pull, method is "GET" or "HEAD");
        var size = await _store.LinkedBlobSizeAsync(repo, digest, ct).ConfigureAwait(false);
        if (size is null && _upstream is not null)
        {
            size = await CacheUpstreamBlobAsync(repo, digest, ct).ConfigureAwait(false);
        }

        var path = _content.BlobPath(digest);
        if (size is null || !File.Exists(path))
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
            throw new RegistryApiException(416, "BLOB_UNKNOWN", "requested range not satisfiable", range);
        }

        response.ContentLength = count;
        if (method == "HEAD")
        {
            return;
        }

        await response.SendFileAsync(path, offset, count, ct).ConfigureAwait(false);
    }
}
