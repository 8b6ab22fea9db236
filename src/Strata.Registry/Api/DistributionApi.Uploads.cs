using Microsoft.AspNetCore.Http;
using Strata.Oci;
using Strata.Registry.Auth;
using Strata.Storage.Content;

namespace Strata.Registry.Api;

/// <summary>
/// Blob uploads: POST (session, monolithic with <c>?digest=</c>, or cross-repository mount), PATCH
/// chunks in order, PUT to finish, GET status, DELETE to cancel. A session is a content-store ingest,
/// so its bytes survive a restart and a client resumes from the offset GET reports.
/// </summary>
public sealed partial class DistributionApi
{
    private static string IngestRef(string id) => "upload-" + id;

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
                var quota = await _store.QuotaForAsync(repo, ct).ConfigureAwait(false);
                if (await _store.MountBlobAsync(repo, from, digest, quota, ct).ConfigureAwait(false) is not null)
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
            var id = Guid.NewGuid().ToString("N");
            await using (var writer = await _content.OpenWriterAsync(IngestRef(id), ct).ConfigureAwait(false))
            {
                await writer.CopyFromAsync(request.Body, ct).ConfigureAwait(false);
                await CommitAsync(writer, request.ContentLength, digest, ct).ConfigureAwait(false);
            }

            await LinkAsync(repo, digest, ct).ConfigureAwait(false);
            BlobCreated(context, repo, digest);
            return;
        }

        var session = Guid.NewGuid().ToString("N");
        await _store.CreateUploadAsync(session, repo, ct).ConfigureAwait(false);
        UploadAccepted(context, repo, session, 0, 202);
    }

    private async Task UploadAsync(HttpContext context, string repo, string id, CancellationToken ct)
    {
        var session = await _store.GetUploadAsync(id, ct).ConfigureAwait(false);
        if (session is null || session.Repository != repo)
        {
            throw RegistryApiException.UploadUnknown(id);
        }

        var request = context.Request;
        switch (request.Method)
        {
            case "GET":
            {
                var status = await _content.IngestStatusAsync(IngestRef(id), ct).ConfigureAwait(false);
                UploadAccepted(context, repo, id, status?.Offset ?? 0, 204);
                return;
            }

            case "DELETE":
                await _content.AbortIngestAsync(IngestRef(id), ct).ConfigureAwait(false);
                await _store.DeleteUploadAsync(id, ct).ConfigureAwait(false);
                context.Response.StatusCode = 204;
                return;
            case "PATCH":
            {
                SetBodyLimit(context, null);
                await using var writer = await _content.OpenWriterAsync(IngestRef(id), ct).ConfigureAwait(false);
                CheckContentRange(context, writer.Offset);
                await writer.CopyFromAsync(request.Body, ct).ConfigureAwait(false);
                UploadAccepted(context, repo, id, writer.Offset, 202);
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
                await using (var writer = await _content.OpenWriterAsync(IngestRef(id), ct).ConfigureAwait(false))
                {
                    if (request.ContentLength is > 0 || request.Headers.ContentRange.Count > 0)
                    {
                        CheckContentRange(context, writer.Offset);
                        await writer.CopyFromAsync(request.Body, ct).ConfigureAwait(false);
                    }

                    try
                    {
                        await CommitAsync(writer, null, digest, ct).ConfigureAwait(false);
                    }
                    catch (RegistryApiException)
                    {
                        await _store.DeleteUploadAsync(id, CancellationToken.None).ConfigureAwait(false);
                        throw;
                    }
                }

                await LinkAsync(repo, digest, ct).ConfigureAwait(false);
                await _store.DeleteUploadAsync(id, ct).ConfigureAwait(false);
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
            throw new RegistryApiException(416, "BLOB_UPLOAD_INVALID", $"chunk range {header} does not continue the upload at {offset} bytes");
        }
    }

    private static async Task CommitAsync(IContentWriter writer, long? size, Digest digest, CancellationToken ct)
    {
        try
        {
            await writer.CommitAsync(size, digest, ct).ConfigureAwait(false);
        }
        catch (StrataException e) when (e.Kind == ErrorKind.DataLoss)
        {
            throw e.Code == "SIZE_MISMATCH"
                ? new RegistryApiException(400, "SIZE_INVALID", e.Message)
                : RegistryApiException.DigestInvalid("provided digest did not match uploaded content", e.Message);
        }
    }

    private async Task LinkAsync(string repo, Digest digest, CancellationToken ct)
    {
        // A blob the store already had keeps its old file: refresh its time so the crash-leftover
        // sweep never mistakes it for an orphan before its row is written.
        var path = _content.BlobPath(digest);
        try
        {
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
        }
        catch (FileNotFoundException)
        {
        }

        // Null only when a garbage collection removed an identical, long-unused blob at this very
        // moment; the client is told the blob is unknown and uploads it again.
        var info = await _content.InfoAsync(digest, ct).ConfigureAwait(false) ?? throw RegistryApiException.BlobUnknown(digest.ToString());
        var quota = await _store.QuotaForAsync(repo, ct).ConfigureAwait(false);
        await _store.LinkBlobAsync(repo, digest, info.Size, quota, ct).ConfigureAwait(false);
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
