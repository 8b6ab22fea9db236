using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Strata.Distribution.Auth;
using Strata.Distribution.Transport;
using Strata.Oci;

namespace Strata.Distribution.Protocol;

/// <summary>
/// <c>/v2/NAME/blobs/uploads/</c> (distribution-spec "Pushing blobs"): start (or mount with <c>?mount=&amp;from=</c>),
/// PATCH chunks with <c>Content-Range</c>, ask the status to resume, and PUT <c>?digest=</c> to finish.
/// Each answer's <c>Location</c> is the URL for the next request (registries keep state in it).
/// </summary>
public sealed class UploadsApi
{
    private readonly RegistryConnection _c;

    public UploadsApi(RegistryConnection connection) => _c = connection;

    /// <summary>
    /// Starts an upload; with <paramref name="mountFrom"/> asks the registry to link <paramref name="mount"/> from that
    /// repository instead (201: done; 202: not mounted, upload started).
    /// </summary>
    public async Task<UploadSession> StartAsync(string repository, Digest? mount = null, string? mountFrom = null, CancellationToken cancellationToken = default)
    {
        var query = mount is { } d && mountFrom is not null ? $"?mount={d}&from={Uri.EscapeDataString(mountFrom)}" : string.Empty;
        var scopes = mountFrom is null ? new[] { RegistryScope.PullPush(repository) } : [RegistryScope.PullPush(repository), RegistryScope.Pull(mountFrom)];
        using var response = await _c.SendCheckedAsync(
            () =>
            {
                var r = RegistryConnection.Request(HttpMethod.Post, _c.Url($"/v2/{repository}/blobs/uploads/{query}"), RegistryScope.Merge(scopes));
                r.Content = new ByteArrayContent([]);
                return r;
            },
            cancellationToken,
            HttpStatusCode.Accepted, HttpStatusCode.Created).ConfigureAwait(false);
        return new UploadSession(RegistryConnection.Location(response), 0, response.StatusCode == HttpStatusCode.Created);
    }

    /// <summary>
    /// Sends <paramref name="length"/> bytes of <paramref name="content"/> as the data from <paramref name="offset"/>
    /// (one PATCH, with <c>Content-Range</c>). Returns the session after it: the new Location and the offset the
    /// registry reports. Not retried here: a broken PATCH is resumed by the caller from <see cref="StatusAsync"/>.
    /// </summary>
    public async Task<UploadSession> PatchAsync(Uri location, string repository, Stream content, long offset, long length, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var request = RegistryConnection.Request(HttpMethod.Patch, location, [RegistryScope.PullPush(repository)]);
        request.Content = new StreamContent(content, 1 << 20);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Content.Headers.ContentLength = length;
        if (length > 0)
        {
            // distribution-spec: Content-Range is "<start>-<end>" inclusive, no unit.
            request.Content.Headers.TryAddWithoutValidation("Content-Range", string.Create(CultureInfo.InvariantCulture, $"{offset}-{offset + length - 1}"));
        }

        if (content.CanSeek)
        {
            request.Options.Set(AuthenticationHandler.ResendableKey, true);
        }

        using var response = await _c.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Accepted && response.StatusCode != HttpStatusCode.NoContent)
        {
            throw await RegistryErrors.FromResponseAsync(response, _c.Name, cancellationToken).ConfigureAwait(false);
        }

        var end = RangeEnd(response) ?? offset + length;
        return new UploadSession(RegistryConnection.Location(response), end, false);
    }

    /// <summary>Where an upload stands (<c>GET</c> on its Location: 204 with <c>Range: 0-END</c>).</summary>
    public async Task<UploadSession> StatusAsync(Uri location, string repository, CancellationToken cancellationToken = default)
    {
        using var response = await _c.SendCheckedAsync(
            () => RegistryConnection.Request(HttpMethod.Get, location, [RegistryScope.PullPush(repository)]),
            cancellationToken,
            HttpStatusCode.NoContent, HttpStatusCode.OK).ConfigureAwait(false);
        var loc = response.Headers.Location is null ? location : RegistryConnection.Location(response);
        return new UploadSession(loc, RangeEnd(response) ?? 0, false);
    }

    /// <summary>Finishes an upload with <c>PUT ?digest=</c>, sending <paramref name="content"/> as the last (or only) data.</summary>
    public async Task CompleteAsync(Uri location, string repository, Digest digest, Stream? content, long length, long offset, CancellationToken cancellationToken = default)
    {
        var b = new UriBuilder(location);
        var q = b.Query.TrimStart('?');
        b.Query = (q.Length > 0 ? q + "&" : string.Empty) + "digest=" + Uri.EscapeDataString(digest.ToString());
        using var request = RegistryConnection.Request(HttpMethod.Put, b.Uri, [RegistryScope.PullPush(repository)]);
        if (content is not null && length > 0)
        {
            request.Content = new StreamContent(content, 1 << 20);
            request.Content.Headers.ContentLength = length;
            request.Content.Headers.TryAddWithoutValidation("Content-Range", string.Create(CultureInfo.InvariantCulture, $"{offset}-{offset + length - 1}"));
            if (content.CanSeek)
            {
                request.Options.Set(AuthenticationHandler.ResendableKey, true);
            }
        }
        else
        {
            request.Content = new ByteArrayContent([]);
        }

        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await _c.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.NoContent or HttpStatusCode.OK or HttpStatusCode.Accepted))
        {
            throw await RegistryErrors.FromResponseAsync(response, _c.Name, cancellationToken).ConfigureAwait(false);
        }

        var header = response.Headers.TryGetValues("Docker-Content-Digest", out var v) ? v.FirstOrDefault() : null;
        if (Digest.TryParse(header, out var reported) && reported != digest)
        {
            throw StrataException.DataLoss("DIGEST_MISMATCH", $"registry stored blob as {reported}, expected {digest}");
        }
    }

    /// <summary>Abandons an upload; failures are ignored (the registry expires uploads anyway).</summary>
    public async Task CancelAsync(Uri location, string repository, CancellationToken cancellationToken = default)
    {
        try
        {
            using var request = RegistryConnection.Request(HttpMethod.Delete, location, [RegistryScope.PullPush(repository)]);
            using var response = await _c.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (StrataException)
        {
        }
    }

    /// <summary>The exclusive end of the <c>Range: 0-N</c> header (N+1), or null when absent.</summary>
    private static long? RangeEnd(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Range", out var values))
        {
            return null;
        }

        var v = values.FirstOrDefault()?.Trim();
        if (string.IsNullOrEmpty(v))
        {
            return null;
        }

        if (v.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
        {
            v = v[6..];
        }

        var dash = v.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0 || !long.TryParse(v.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var end))
        {
            return null;
        }

        // distribution answers "0-0" for an empty upload as well as for one byte; treat it as empty (a wrong guess
        // only makes the final digest check fail and the upload start over).
        return end == 0 ? 0 : end + 1;
    }
}
