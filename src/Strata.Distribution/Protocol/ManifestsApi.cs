using System.Net;
using System.Net.Http.Headers;
using Strata.Distribution.Auth;
using Strata.Distribution.Transport;
using Strata.Oci;

namespace Strata.Distribution.Protocol;

/// <summary>
/// <c>/v2/NAME/manifests/REFERENCE</c> (distribution-spec "Pulling manifests", "Pushing manifests"), with content
/// negotiation for OCI and Docker v2 schema 2 manifests and indexes. Fetched bytes are verified against the
/// requested digest, or the <c>Docker-Content-Digest</c> the registry sent.
/// </summary>
public sealed class ManifestsApi
{
    /// <summary>Registries must accept manifests of at least 4 MiB (distribution-spec); larger ones are refused here.</summary>
    public const int MaxManifestSize = 4 * 1024 * 1024;

    private readonly RegistryConnection _c;

    public ManifestsApi(RegistryConnection connection) => _c = connection;

    public async Task<ManifestResponse> GetAsync(string repository, string reference, CancellationToken cancellationToken = default)
    {
        using var response = await _c.SendCheckedAsync(() => Request(HttpMethod.Get, repository, reference, pull: true), cancellationToken, HttpStatusCode.OK).ConfigureAwait(false);
        if (response.Content.Headers.ContentLength > MaxManifestSize)
        {
            throw StrataException.Invalid("MANIFEST_TOO_LARGE", $"manifest {repository}:{reference} is {response.Content.Headers.ContentLength} bytes, more than {MaxManifestSize}");
        }

        var raw = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (raw.Length > MaxManifestSize)
        {
            throw StrataException.Invalid("MANIFEST_TOO_LARGE", $"manifest {repository}:{reference} is more than {MaxManifestSize} bytes");
        }

        var digest = Verify(raw, reference, response);
        var mediaType = ManifestKind.Detect(raw, response.Content.Headers.ContentType?.MediaType);
        if (mediaType == MediaTypes.DockerSchema1Signed || mediaType == "application/vnd.docker.distribution.manifest.v1+json")
        {
            throw StrataException.Invalid(DistributionErrors.ManifestUnsupported, $"{repository}:{reference} is a Docker image manifest v2 schema 1, which Strata does not pull (as docker since 20.10)");
        }

        return new ManifestResponse(raw, mediaType, digest);
    }

    /// <summary>HEAD: the manifest's descriptor, or null when the registry does not have it.</summary>
    public async Task<Descriptor?> HeadAsync(string repository, string reference, CancellationToken cancellationToken = default)
    {
        using var response = await _c.SendCheckedAsync(() => Request(HttpMethod.Head, repository, reference, pull: true), cancellationToken, HttpStatusCode.OK, HttpStatusCode.NotFound).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        var header = response.Headers.TryGetValues("Docker-Content-Digest", out var v) ? v.FirstOrDefault() : null;
        if (!Digest.TryParse(header, out var digest) && !Digest.TryParse(reference, out digest))
        {
            return null; // no digest to compare with: the caller GETs
        }

        return new Descriptor
        {
            MediaType = response.Content.Headers.ContentType?.MediaType ?? string.Empty,
            Digest = digest,
            Size = response.Content.Headers.ContentLength ?? -1,
        };
    }

    /// <summary>PUT: stores <paramref name="raw"/> under a tag or its digest; returns the digest the registry reports.</summary>
    public async Task<Digest> PutAsync(string repository, string reference, string mediaType, ReadOnlyMemory<byte> raw, CancellationToken cancellationToken = default)
    {
        var expected = Digest.Compute(raw.Span);
        using var response = await _c.SendCheckedAsync(() =>
        {
            var r = Request(HttpMethod.Put, repository, reference, pull: false);
            r.Content = new ReadOnlyMemoryContent(raw);
            r.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            return r;
        }, cancellationToken, HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Accepted).ConfigureAwait(false);
        var header = response.Headers.TryGetValues("Docker-Content-Digest", out var v) ? v.FirstOrDefault() : null;
        if (Digest.TryParse(header, out var reported) && reported.Algorithm == expected.Algorithm && reported != expected)
        {
            throw StrataException.DataLoss("DIGEST_MISMATCH", $"registry stored manifest {repository}:{reference} as {reported}, expected {expected}");
        }

        return expected;
    }

    private HttpRequestMessage Request(HttpMethod method, string repository, string reference, bool pull)
    {
        var r = RegistryConnection.Request(method, _c.Url($"/v2/{repository}/manifests/{reference}"), [pull ? RegistryScope.Pull(repository) : RegistryScope.PullPush(repository)]);
        if (pull)
        {
            foreach (var mt in new[] { MediaTypes.OciIndex, MediaTypes.DockerManifestList, MediaTypes.OciManifest, MediaTypes.DockerManifest })
            {
                r.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mt));
            }
        }

        return r;
    }

    /// <summary>Checks the bytes against a digest reference, or the registry's Docker-Content-Digest for a tag.</summary>
    private static Digest Verify(byte[] raw, string reference, HttpResponseMessage response)
    {
        if (Digest.TryParse(reference, out var wanted))
        {
            var actual = Digest.Compute(raw, wanted.Algorithm);
            if (actual != wanted)
            {
                throw StrataException.DataLoss("DIGEST_MISMATCH", $"manifest digest mismatch: asked for {wanted}, got {actual}");
            }

            return actual;
        }

        var computed = Digest.Compute(raw);
        var header = response.Headers.TryGetValues("Docker-Content-Digest", out var v) ? v.FirstOrDefault() : null;
        if (Digest.TryParse(header, out var reported) && Digest.Compute(raw, reported.Algorithm) != reported)
        {
            throw StrataException.DataLoss("DIGEST_MISMATCH", $"manifest digest mismatch: registry says {reported}, content is {computed}");
        }

        return computed;
    }
}
