using System.Net;
using System.Net.Http.Headers;
using Strata.Distribution.Auth;
using Strata.Distribution.Transport;
using Strata.Oci;

namespace Strata.Distribution.Protocol;

/// <summary>
/// <c>/v2/NAME/blobs/DIGEST</c> (distribution-spec "Pulling blobs", "Checking if content exists"). Redirects are
/// followed here, not by the HTTP stack, so the Authorization header only ever goes to the registry itself;
/// a Range request resumes an interrupted download.
/// </summary>
public sealed class BlobsApi
{
    private const int MaxRedirects = 10;
    private readonly RegistryConnection _c;

    public BlobsApi(RegistryConnection connection) => _c = connection;

    /// <summary>The blob's size when the repository has it, null when not.</summary>
    public async Task<long?> HeadAsync(string repository, Digest digest, CancellationToken cancellationToken = default)
    {
        using var response = await _c.SendCheckedAsync(
            () => RegistryConnection.Request(HttpMethod.Head, _c.Url($"/v2/{repository}/blobs/{digest}"), [RegistryScope.Pull(repository)]),
            cancellationToken,
            HttpStatusCode.OK, HttpStatusCode.NotFound, HttpStatusCode.TemporaryRedirect, HttpStatusCode.Redirect, HttpStatusCode.PermanentRedirect, HttpStatusCode.SeeOther).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.NotFound ? null : response.Content.Headers.ContentLength ?? -1;
    }

    /// <summary>
    /// Opens the blob from <paramref name="offset"/>. The registry may answer in full (then <see cref="BlobResponse.Start"/>
    /// is 0); a Range it cannot satisfy throws InvalidArgument (RANGE_INVALID) so the caller starts over.
    /// </summary>
    public async Task<BlobResponse> OpenAsync(string repository, Digest digest, long offset, CancellationToken cancellationToken = default)
    {
        var uri = _c.Url($"/v2/{repository}/blobs/{digest}");
        for (var hop = 0; hop <= MaxRedirects; hop++)
        {
            var request = RegistryConnection.Request(HttpMethod.Get, uri, [RegistryScope.Pull(repository)]);
            if (offset > 0)
            {
                request.Headers.Range = new RangeHeaderValue(offset, null);
            }

            var response = await _c.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            switch (response.StatusCode)
            {
                case HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect:
                    uri = RegistryConnection.Location(response);
                    response.Dispose();
                    request.Dispose();
                    continue;
                case HttpStatusCode.OK:
                    return new BlobResponse(response, await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), 0, response.Content.Headers.ContentLength);
                case HttpStatusCode.PartialContent:
                    var range = response.Content.Headers.ContentRange;
                    if (range?.From != offset)
                    {
                        response.Dispose();
                        throw StrataException.Unavailable("RANGE_MISMATCH", $"blob {digest}: asked for bytes from {offset}, got a range from {range?.From}");
                    }

                    return new BlobResponse(response, await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), offset, response.Content.Headers.ContentLength);
                default:
                    using (response)
                    {
                        var error = await RegistryErrors.FromResponseAsync(response, _c.Name, cancellationToken).ConfigureAwait(false);
                        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
                        {
                            throw new RegistryException(ErrorKind.InvalidArgument, DistributionErrors.RangeInvalid, $"blob {digest}: range from {offset} not satisfiable", response.StatusCode);
                        }

                        throw error;
                    }
            }
        }

        throw StrataException.Unavailable("TOO_MANY_REDIRECTS", $"blob {digest}: more than {MaxRedirects} redirects");
    }
}
