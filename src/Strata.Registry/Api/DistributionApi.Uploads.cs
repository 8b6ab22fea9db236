using Microsoft.AspNetCore.Http;
using Strata.Oci;
using Strata.Registry.Auth;
using Strata.Registry.Metadata;

namespace Strata.Registry.Api;

/// <summary>
/// Blob uploads: POST (session, monolithic with <c>?digest=</c>, or cross-repository mount), PATCH
/// chunks in order, PUT to finish, GET status, DELETE to cancel. The session lives in the metadata
/// store and its bytes in the blob store, so a restarted server, or another replica, resumes it.
/// </summary>
public sealed partial class DistributionApi
{
    private async Task StartUploadAsync(HttpContext context, Principal? principal, string repo, CancellationToken ct)
    {
        var request = context.Request;
        var mount = request.Query["mount"].ToString();
        var from = request.Query["from"].ToString();
        if (mount.Length > 0)
        {
            var digest = ParseDigest(mount);
            if (from.Length > 0 && RegistryRouteParser.IsValidName(from) && _auth.Policy.IsAllowed(principal, from, RegistryAction.Pull))
            {
                var quota = await _meta.Access.QuotaForAsync(repo, ct).ConfigureAwait(false);
                if (await _meta.Blobs.MountBlobAsync(repo, from, digest, quota, ct).ConfigureAwait(false) is not null)
                {
                    BlobCreated(context, repo, digest);
                    return;
                }
            }

            // Not mountable (unknown there, or the caller may not read it): a normal session instead.
        }

        var monolithic = request.Query["digest"].ToString();
        if (monolithic.Length > 0)
        {
            var digest = ParseDigest(monolithic);
            SetBodyLimit(context, null);
            var size = await _blobs.PutAsync(digest, request.Body, request.ContentLength, ct).ConfigureAwait(false);
            await LinkAsync(repo, digest, size, ct).ConfigureAwait(false);
            BlobCreated(context, repo, digest);
            return;
        }

        var session = await _meta.Uploads.CreateUploadAsync(Guid.NewGuid().ToString("N"), repo, ct).ConfigureAwait(false);
        UploadAccepted(context, repo, session.Id, 0, 202);
    }

    private async Task UploadAsync(HttpContext context, string repo, string id, CancellationToken ct)
    {
        var session = await _meta.Uploads.GetUploadAsync(id, ct).ConfigureAwait(false);
        if (session is null || session.Repository != repo)
        {
            throw RegistryApiException.UploadUnknown(id);
        }

        var request = context.Request;
        switch (request.Method)
        {
            case "GET":
                UploadAccepted(context, repo, id, await _blobs.UploadOffsetAsync(session, ct).ConfigureAwait(false), 204);
                return;
            case "DELETE":
                await _blobs.AbortAsync(session, ct).ConfigureAwait(false);
                await _meta.Uploads.DeleteUploadAsync(id, ct).ConfigureAwait(false);
                context.Response.StatusCode = 204;
                return;
            case "PATCH":
            {
                SetBodyLimit(context, null);
                var offset = await _blobs.AppendAsync(session, request.Body, start => CheckContentRange(context, start), ct).ConfigureAwait(false);
                UploadAccepted(context, repo, id, offset, 202);
                return;
            }

            case "PUT":
            {
                var digestText = request.Query["digest"].ToString();
                if (digestText.Length == 0)
                {
                    throw RegistryApiException.DigestInvalid("the digest query parameter is required to finish an upload");
                }

                var digest = ParseDigest(digestText);
                SetBodyLimit(context, null);
                var body = request.ContentLength is > 0 || request.Headers.ContentRange.Count > 0 ? request.Body : null;
                long size;
                try
                {
                    size = await _blobs.CompleteAsync(session, body, start => CheckContentRange(context, start), digest, ct).ConfigureAwait(false);
                }
                catch (StrataException e) when (e.Kind == ErrorKind.DataLoss)
                {
                    // The bytes can never become that blob: the session is gone with them.
                    await _meta.Uploads.DeleteUploadAsync(id, CancellationToken.None).ConfigureAwait(false);
                    throw;
                }

                await LinkAsync(repo, digest, size, ct).ConfigureAwait(false);
                await _meta.Uploads.DeleteUploadAsync(id, ct).ConfigureAwait(false);
                BlobCreated(context, repo, digest);
                return;
            }

            default:
                throw RegistryApiException.Unsupported($"{request.Method} is not supported on uploads");
        }
    }

    /// <summary>Chunks must arrive in order: a Content-Range has to start where the upload stands.</summary>
    private static void CheckContentRange(HttpContext context, long offset)
    {
        var header = context.Request.Headers.ContentRange.ToString();
        if (header.Length == 0)
        {
            return;
        }

        if (!ByteRanges.TryParseContentRange(header, out var start, out var end)
            || start != offset
            || (context.Request.ContentLength is { } length && length != end - start + 1))
        {
            context.Response.Headers.Range = offset == 0 ? "0-0" : $"0-{offset - 1}";
            throw new RegistryApiException(416, DistributionErrorCodes.BlobUploadInvalid, $"chunk range {header} does not continue the upload at {offset} bytes");
        }
    }

    private async Task LinkAsync(string repo, Digest digest, long size, CancellationToken ct)
    {
        var quota = await _meta.Access.QuotaForAsync(repo, ct).ConfigureAwait(false);
        await _meta.Blobs.LinkBlobAsync(repo, digest, size, quota, ct).ConfigureAwait(false);
    }

    private static void BlobCreated(HttpContext context, string repo, Digest digest)
    {
        var response = context.Response;
        response.StatusCode = 201;
        response.Headers.Location = $"/v2/{repo}/blobs/{digest}";
        response.Headers["Docker-Content-Digest"] = digest.ToString();
        response.ContentLength = 0;
    }

    private static void UploadAccepted(HttpContext context, string repo, string id, long offset, int status)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.Headers.Location = $"/v2/{repo}/blobs/uploads/{id}";
        response.Headers.Range = offset == 0 ? "0-0" : $"0-{offset - 1}";
        response.Headers["Docker-Upload-UUID"] = id;
        response.ContentLength = 0;
    }
}
