using Microsoft.AspNetCore.Http;
using Strata.Oci;
using Strata.Registry.Auth;

namespace Strata.Registry.Api;

/// <summary>Catalog, tag listing (both paginated with <c>n</c>/<c>last</c> and <c>Link</c>) and the referrers API.</summary>
public sealed partial class DistributionApi
{
    private async Task CatalogAsync(HttpContext context, Principal? principal, CancellationToken ct)
    {
        var n = PageSize(context.Request);
        var last = context.Request.Query["last"].ToString();
        // A catalog token says "may list"; what is listed is what the user may pull.
        var viewer = principal is { TokenAccess: { } access } && access.ContainsKey("catalog") ? principal with { TokenAccess = null } : principal;
        var names = await _meta.Catalog.ListRepositoryNamesAsync(n is null ? null : n + 1, last.Length == 0 ? null : last,
            repo => _auth.Policy.IsAllowed(viewer, repo, RegistryAction.Pull), ct).ConfigureAwait(false);
        var page = n is { } size && names.Count > size ? names.Take(size).ToList() : names;
        if (n is { } m && names.Count > m && page.Count > 0)
        {
            context.Response.Headers.Link = $"</v2/_catalog?n={m}&last={Uri.EscapeDataString(page[^1])}>; rel=\"next\"";
        }

        await WriteJsonAsync(context, "application/json", w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("repositories");
            foreach (var r in page)
            {
                w.WriteStringValue(r);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private async Task TagsAsync(HttpContext context, string repo, CancellationToken ct)
    {
        if (_upstream is null && !await _meta.Catalog.RepositoryExistsAsync(repo, ct).ConfigureAwait(false))
        {
            throw RegistryApiException.NameUnknown(repo);
        }

        var n = PageSize(context.Request);
        var last = context.Request.Query["last"].ToString();
        var tags = await _meta.Catalog.ListTagNamesAsync(repo, n is null ? null : n + 1, last.Length == 0 ? null : last, ct).ConfigureAwait(false);
        var page = n is { } size && tags.Count > size ? tags.Take(size).ToList() : tags;
        if (n is { } m && tags.Count > m && page.Count > 0)
        {
            context.Response.Headers.Link = $"</v2/{repo}/tags/list?n={m}&last={Uri.EscapeDataString(page[^1])}>; rel=\"next\"";
        }

        await WriteJsonAsync(context, "application/json", w =>
        {
            w.WriteStartObject();
            w.WriteString("name", repo);
            w.WriteStartArray("tags");
            foreach (var t in page)
            {
                w.WriteStringValue(t);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private async Task ReferrersAsync(HttpContext context, string repo, string reference, CancellationToken ct)
    {
        var subject = ParseDigest(reference);
        var artifactType = context.Request.Query["artifactType"].ToString();
        var filter = artifactType.Length == 0 ? null : artifactType;
        var referrers = await _meta.Manifests.ListReferrersAsync(repo, subject, filter, ct).ConfigureAwait(false);
        if (filter is not null)
        {
            context.Response.Headers["OCI-Filters-Applied"] = "artifactType";
        }

        await WriteJsonAsync(context, MediaTypes.OciIndex, w =>
        {
            w.WriteStartObject();
            w.WriteNumber("schemaVersion", 2);
            w.WriteString("mediaType", MediaTypes.OciIndex);
            w.WriteStartArray("manifests");
            foreach (var d in referrers)
            {
                w.WriteStartObject();
                w.WriteString("mediaType", d.MediaType);
                w.WriteString("digest", d.Digest.ToString());
                w.WriteNumber("size", d.Size);
                if (d.ArtifactType is not null)
                {
                    w.WriteString("artifactType", d.ArtifactType);
                }

                if (d.Annotations is { Count: > 0 } annotations)
                {
                    w.WriteStartObject("annotations");
                    foreach (var (k, v) in annotations)
                    {
                        w.WriteString(k, v);
                    }

                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }
}
