using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Strata.Distribution.Auth;
using Strata.Distribution.Transport;

namespace Strata.Distribution.Protocol;

/// <summary><c>GET /v2/NAME/tags/list</c> (distribution-spec "Listing tags"), following <c>Link: &lt;..&gt;; rel="next"</c> pages.</summary>
public sealed class TagsApi
{
    private const int MaxPages = 10_000;
    private readonly RegistryConnection _c;

    public TagsApi(RegistryConnection connection) => _c = connection;

    public async IAsyncEnumerable<string> ListAsync(string repository, int? pageSize = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Uri? next = _c.Url($"/v2/{repository}/tags/list" + (pageSize is { } n ? $"?n={n}" : string.Empty));
        for (var page = 0; next is not null && page < MaxPages; page++)
        {
            var uri = next;
            TagList? list;
            using (var response = await _c.SendCheckedAsync(() => RegistryConnection.Request(HttpMethod.Get, uri, [RegistryScope.Pull(repository)]), cancellationToken, HttpStatusCode.OK).ConfigureAwait(false))
            {
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    list = await JsonSerializer.DeserializeAsync(body, DistributionJsonContext.Default.TagList, cancellationToken).ConfigureAwait(false);
                }
                catch (JsonException e)
                {
                    throw Oci.StrataException.Unavailable("REGISTRY_PROTOCOL", $"tag list of {repository}: invalid JSON: {e.Message}", e);
                }

                next = NextLink(response, uri);
            }

            foreach (var tag in list?.Tags ?? [])
            {
                yield return tag;
            }
        }
    }

    /// <summary>The <c>rel="next"</c> target of a Link header (RFC 8288), resolved against the request.</summary>
    public static Uri? NextLink(HttpResponseMessage response, Uri requestUri)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (!response.Headers.TryGetValues("Link", out var values))
        {
            return null;
        }

        foreach (var value in values)
        {
            foreach (var part in value.Split(','))
            {
                var p = part.Trim();
                var open = p.IndexOf('<', StringComparison.Ordinal);
                var close = p.IndexOf('>', StringComparison.Ordinal);
                if (open != 0 || close < 0 || !p[(close + 1)..].Contains("rel=\"next\"", StringComparison.OrdinalIgnoreCase) && !p[(close + 1)..].Contains("rel=next", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (Uri.TryCreate(requestUri, p[1..close], out var next))
                {
                    return next;
                }
            }
        }

        return null;
    }
}
