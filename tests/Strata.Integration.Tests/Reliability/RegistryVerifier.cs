using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Strata.Oci;

namespace Strata.Integration.Tests.Reliability;

/// <summary>
/// A full re-pull of a registry over HTTP: every repository of the catalog, every tag, its manifest (digest
/// checked against the bytes) and every blob the manifest names (fetched and hashed). Anything missing or not
/// matching its digest is corruption.
/// </summary>
public sealed class RegistryVerifier(HttpClient http, Uri baseUri)
{
    private static readonly string[] Accept =
    [
        MediaTypes.OciManifest, MediaTypes.DockerManifest, MediaTypes.OciIndex, MediaTypes.DockerManifestList,
    ];

    /// <summary>Verifies everything; returns (tags, blobs) checked, or throws with every problem found.</summary>
    public async Task<(int Tags, int Blobs)> VerifyAllAsync()
    {
        var problems = new List<string>();
        var tags = 0;
        var blobs = 0;
        foreach (var repo in await ListAsync("v2/_catalog?n=100000", "repositories"))
        {
            foreach (var tag in await ListAsync($"v2/{repo}/tags/list?n=100000", "tags"))
            {
                tags++;
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, $"v2/{repo}/manifests/{tag}"));
                foreach (var a in Accept)
                {
                    request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(a));
                }

                using var response = await http.SendAsync(request);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    problems.Add($"{repo}:{tag}: manifest GET answered {(int)response.StatusCode}");
                    continue;
                }

                var raw = await response.Content.ReadAsByteArrayAsync();
                var digest = Digest.Compute(raw).ToString();
                if (response.Headers.TryGetValues("Docker-Content-Digest", out var d) && d.Single() != digest)
                {
                    problems.Add($"{repo}:{tag}: manifest hashes to {digest}, registry says {d.Single()}");
                }

                var manifest = ImageManifest.Parse(raw);
                foreach (var blob in manifest.Layers.Prepend(manifest.Config))
                {
                    blobs++;
                    if (await BlobProblemAsync(repo, blob) is { } p)
                    {
                        problems.Add($"{repo}:{tag}: {p}");
                    }
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidDataException($"registry corrupt ({problems.Count} problems):\n{string.Join('\n', problems)}");
        }

        return (tags, blobs);
    }

    private async Task<string?> BlobProblemAsync(string repo, Descriptor blob)
    {
        using var response = await http.GetAsync(new Uri(baseUri, $"v2/{repo}/blobs/{blob.Digest}"), HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return $"blob {blob.Digest} GET answered {(int)response.StatusCode}";
        }

        await using var body = await response.Content.ReadAsStreamAsync();
        var hash = "sha256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(body));
        return hash == blob.Digest.ToString() ? null : $"blob {blob.Digest} hashes to {hash}";
    }

    private async Task<List<string>> ListAsync(string path, string member)
    {
        using var doc = JsonDocument.Parse(await http.GetStringAsync(new Uri(baseUri, path)));
        return doc.RootElement.TryGetProperty(member, out var list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray().Select(e => e.GetString()!)]
            : [];
    }
}
