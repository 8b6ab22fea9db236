using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Strata.Oci;
using Strata.Registry.Tests.Backends;

namespace Strata.Registry.Tests.Server;

/// <summary>
/// The OCI Distribution Spec 1.1 workflows (pull, push, content discovery, content management)
/// against the real server over HTTP, with the spec's status codes, headers and error codes, on
/// each combination of metadata store (SQLite, PostgreSQL) and blob store (directory, S3): the
/// subclasses below.
/// </summary>
public abstract class DistributionApiTests : IAsyncLifetime
{
    private readonly BackendPeers _peers;
    private readonly RegistryBackend _backend;
    private RegistryTestHost _host = null!;

    protected DistributionApiTests(BackendPeers peers, RegistryBackend backend)
    {
        _peers = peers;
        _backend = backend;
    }

    private HttpClient Http => _host.Http;

    public async Task InitializeAsync()
    {
        var options = await _peers.ConfigureAsync(new Strata.Registry.Server.RegistryServerOptions { Root = "unused" }, _backend);
        _host = await RegistryTestHost.StartAsync(o => o with { Metadata = options.Metadata, BlobStore = options.BlobStore, S3 = options.S3 });
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static async Task<string> ErrorCodeAsync(HttpResponseMessage response)
    {
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("errors")[0].GetProperty("code").GetString()!;
    }

    [Fact]
    public async Task Base_endpoint_answers_with_the_api_version_header()
    {
        using var r = await Http.GetAsync("/v2/");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("registry/2.0", r.Headers.GetValues("Docker-Distribution-API-Version").Single());
    }

    [Fact]
    public async Task Monolithic_upload_then_blob_get_head_and_range()
    {
        var data = RegistryTestHost.RandomBytes(5000);
        var digest = await _host.PushBlobAsync("a/b", data);
        Assert.Equal(data, await Http.GetByteArrayAsync($"/v2/a/b/blobs/{digest}"));

        using var head = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/a/b/blobs/{digest}"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(5000, head.Content.Headers.ContentLength);
        Assert.Equal(digest.ToString(), head.Headers.GetValues("Docker-Content-Digest").Single());

        using var ranged = new HttpRequestMessage(HttpMethod.Get, $"/v2/a/b/blobs/{digest}");
        ranged.Headers.Range = new RangeHeaderValue(100, 199);
        using var part = await Http.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(data.AsSpan(100, 100).ToArray(), await part.Content.ReadAsByteArrayAsync());
        Assert.Equal("bytes 100-199/5000", part.Content.Headers.ContentRange!.ToString());

        using var bad = new HttpRequestMessage(HttpMethod.Get, $"/v2/a/b/blobs/{digest}");
        bad.Headers.Range = new RangeHeaderValue(6000, 7000);
        using var unsatisfiable = await Http.SendAsync(bad);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, unsatisfiable.StatusCode);
    }

    [Fact]
    public async Task Blobs_are_scoped_to_their_repository()
    {
        var digest = await _host.PushBlobAsync("one", RegistryTestHost.RandomBytes(100));
        using var other = await Http.GetAsync($"/v2/two/blobs/{digest}");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal("BLOB_UNKNOWN", await ErrorCodeAsync(other));
    }

    [Fact]
    public async Task Malformed_digests_and_names_are_400_never_500()
    {
        using var blob = await Http.GetAsync("/v2/a/blobs/sha256:xyz");
        Assert.Equal(HttpStatusCode.BadRequest, blob.StatusCode);
        Assert.Equal("DIGEST_INVALID", await ErrorCodeAsync(blob));
        using var manifest = await Http.GetAsync("/v2/a/manifests/sha256:1234");
        Assert.Equal(HttpStatusCode.BadRequest, manifest.StatusCode);
        using var name = await Http.GetAsync("/v2/Upper/Case/tags/list");
        Assert.Equal(HttpStatusCode.BadRequest, name.StatusCode);
        Assert.Equal("NAME_INVALID", await ErrorCodeAsync(name));
        using var upload = await Http.PostAsync("/v2/a/blobs/uploads/?digest=md5:abc", new ByteArrayContent([1]));
        Assert.Equal(HttpStatusCode.BadRequest, upload.StatusCode);
    }

    [Fact]
    public async Task Chunked_upload_enforces_order_reports_status_and_verifies_the_digest()
    {
        var data = RegistryTestHost.RandomBytes(3000);
        using var start = await Http.PostAsync("/v2/chunk/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var location = start.Headers.Location!.ToString();
        Assert.NotEmpty(start.Headers.GetValues("Docker-Upload-UUID").Single());

        using var first = await PatchAsync(location, data.AsMemory(0, 1000), 0);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal("0-999", first.Headers.GetValues("Range").Single());

        using var outOfOrder = await PatchAsync(location, data.AsMemory(2000, 1000), 2000);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, outOfOrder.StatusCode);

        using var status = await Http.GetAsync(location);
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        Assert.Equal("0-999", status.Headers.GetValues("Range").Single());

        using var second = await PatchAsync(location, data.AsMemory(1000, 1000), 1000);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);

        var wrong = Digest.Compute(RegistryTestHost.RandomBytes(10));
        using (var mismatch = await Http.PutAsync($"{location}?digest={wrong}", new ByteArrayContent(data[2000..])))
        {
            Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);
            Assert.Equal("DIGEST_INVALID", await ErrorCodeAsync(mismatch));
        }

        // The failed session is gone; a new one with the right digest lands.
        using var again = await Http.PostAsync("/v2/chunk/blobs/uploads/", null);
        var loc2 = again.Headers.Location!.ToString();
        using (await PatchAsync(loc2, data.AsMemory(0, 2000), 0))
        {
        }

        var digest = Digest.Compute(data);
        using var done = await Http.PutAsync($"{loc2}?digest={digest}", new ByteArrayContent(data[2000..]));
        Assert.Equal(HttpStatusCode.Created, done.StatusCode);
        Assert.Equal($"/v2/chunk/blobs/{digest}", done.Headers.Location!.ToString());
        Assert.Equal(data, await Http.GetByteArrayAsync($"/v2/chunk/blobs/{digest}"));
    }

    [Fact]
    public async Task Upload_can_be_cancelled()
    {
        using var start = await Http.PostAsync("/v2/c/blobs/uploads/", null);
        var location = start.Headers.Location!.ToString();
        using var cancel = await Http.DeleteAsync(location);
        Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);
        using var status = await Http.GetAsync(location);
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
        Assert.Equal("BLOB_UPLOAD_UNKNOWN", await ErrorCodeAsync(status));
    }

    [Fact]
    public async Task An_upload_resumes_after_a_restart_from_the_offset_the_registry_reports()
    {
        var data = RegistryTestHost.RandomBytes(4000);
        using var start = await Http.PostAsync("/v2/resume/blobs/uploads/", null);
        var location = start.Headers.Location!.ToString();
        using (await PatchAsync(location, data.AsMemory(0, 2500), 0))
        {
        }

        await _host.RestartAsync();
        using var status = await Http.GetAsync(location);
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        Assert.Equal("0-2499", status.Headers.GetValues("Range").Single());
        using (var rest = await PatchAsync(location, data.AsMemory(2500), 2500))
        {
            Assert.Equal(HttpStatusCode.Accepted, rest.StatusCode);
        }

        using var done = await Http.PutAsync($"{location}?digest={Digest.Compute(data)}", null);
        Assert.Equal(HttpStatusCode.Created, done.StatusCode);
    }

    [Fact]
    public async Task Cross_repository_mount_links_or_falls_back_to_a_session()
    {
        var digest = await _host.PushBlobAsync("src/repo", RegistryTestHost.RandomBytes(700));
        using var mounted = await Http.PostAsync($"/v2/dst/repo/blobs/uploads/?mount={digest}&from=src/repo", null);
        Assert.Equal(HttpStatusCode.Created, mounted.StatusCode);
        Assert.Equal(digest.ToString(), mounted.Headers.GetValues("Docker-Content-Digest").Single());
        using var get = await Http.GetAsync($"/v2/dst/repo/blobs/{digest}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);

        using var fallback = await Http.PostAsync($"/v2/dst/repo/blobs/uploads/?mount={digest}&from=nowhere", null);
        Assert.Equal(HttpStatusCode.Accepted, fallback.StatusCode);
        Assert.Contains("/blobs/uploads/", fallback.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sha512_blobs_upload_and_download()
    {
        var data = RegistryTestHost.RandomBytes(2048);
        var digest = Digest.Compute(data, DigestAlgorithm.Sha512);
        using var post = await Http.PostAsync($"/v2/s512/blobs/uploads/?digest={digest}", new ByteArrayContent(data));
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        Assert.Equal(data, await Http.GetByteArrayAsync($"/v2/s512/blobs/{digest}"));
    }

    [Fact]
    public async Task Manifests_by_tag_and_digest_with_media_type_and_digest_headers()
    {
        var (manifest, digest, _) = await _host.PushImageAsync("img", "v1");
        foreach (var reference in new[] { "v1", digest.ToString() })
        {
            using var r = await Http.GetAsync($"/v2/img/manifests/{reference}");
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Equal(MediaTypes.OciManifest, r.Content.Headers.ContentType!.MediaType);
            Assert.Equal(digest.ToString(), r.Headers.GetValues("Docker-Content-Digest").Single());
            Assert.Equal(manifest, await r.Content.ReadAsByteArrayAsync());
        }

        using var head = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/v2/img/manifests/v1"));
        Assert.Equal(manifest.Length, head.Content.Headers.ContentLength);
        using var missing = await Http.GetAsync("/v2/img/manifests/nope");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("MANIFEST_UNKNOWN", await ErrorCodeAsync(missing));
    }

    [Fact]
    public async Task Manifest_read_by_a_reference_that_is_not_a_tag_is_unknown_not_invalid()
    {
        // The OCI conformance suite and distribution: no manifest can have such a name, so it is unknown (404).
        await _host.PushImageAsync("inv", "v1");
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Head, HttpMethod.Delete })
        {
            using var r = await Http.SendAsync(new HttpRequestMessage(method, "/v2/inv/manifests/.INVALID_MANIFEST_NAME"));
            Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
            if (method != HttpMethod.Head)
            {
                Assert.Equal("MANIFEST_UNKNOWN", await ErrorCodeAsync(r));
            }
        }

        // Writing under such a name stays a client error.
        var (manifest, _, _) = await _host.PushImageAsync("inv", "v2");
        using var put = await _host.PutManifestAsync("inv", ".INVALID_MANIFEST_NAME", manifest, MediaTypes.OciManifest);
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("MANIFEST_INVALID", await ErrorCodeAsync(put));
    }

    [Fact]
    public async Task Manifest_push_is_validated()
    {
        var unknown = Digest.Compute(RegistryTestHost.RandomBytes(10));
        var bad = RegistryTestHost.ImageManifest(unknown, 10, unknown, 10);
        using (var r = await _host.PutManifestAsync("val", "x", bad, MediaTypes.OciManifest))
        {
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            Assert.Equal("MANIFEST_BLOB_UNKNOWN", await ErrorCodeAsync(r));
        }

        using (var r = await _host.PutManifestAsync("val", "x", "{not json"u8.ToArray(), MediaTypes.OciManifest))
        {
            Assert.Equal("MANIFEST_INVALID", await ErrorCodeAsync(r));
        }

        var (manifest, digest, _) = await _host.PushImageAsync("val", "ok");
        var wrongDigest = Digest.Compute(RegistryTestHost.RandomBytes(3));
        using (var r = await _host.PutManifestAsync("val", wrongDigest.ToString(), manifest, MediaTypes.OciManifest))
        {
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            Assert.Equal("DIGEST_INVALID", await ErrorCodeAsync(r));
        }

        using (var r = await _host.PutManifestAsync("val", "bad!tag", manifest, MediaTypes.OciManifest))
        {
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        }

        using (var r = await _host.PutManifestAsync("val", digest.ToString(), manifest, MediaTypes.DockerManifest))
        {
            Assert.Equal("MANIFEST_INVALID", await ErrorCodeAsync(r));
        }

        // The server answers 413 before reading the body; the client may see that or the connection closing.
        try
        {
            using var huge = await _host.PutManifestAsync("val", "huge", new byte[5 * 1024 * 1024], MediaTypes.OciManifest);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        }
        catch (HttpRequestException)
        {
        }

        Assert.DoesNotContain("huge", await Http.GetStringAsync("/v2/val/tags/list"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_by_digest_with_tag_parameters_tags_it()
    {
        var (manifest, digest, _) = await _host.PushImageAsync("multi", "first");
        using var r = await _host.PutManifestAsync("multi", $"{digest}?tag=a&tag=b", manifest, MediaTypes.OciManifest);
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        var tags = await Http.GetStringAsync("/v2/multi/tags/list");
        Assert.Contains("\"a\"", tags, StringComparison.Ordinal);
        Assert.Contains("\"b\"", tags, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Index_needs_its_children_and_lists_platforms()
    {
        var (m1, d1, _) = await _host.PushImageAsync("idx", "amd");
        var (m2, d2, _) = await _host.PushImageAsync("idx", "arm");
        var index = Encoding.UTF8.GetBytes($$$"""{"schemaVersion":2,"mediaType":"{{{MediaTypes.OciIndex}}}","manifests":[{"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{d1}}}","size":{{{m1.Length}}},"platform":{"os":"linux","architecture":"amd64"}},{"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{d2}}}","size":{{{m2.Length}}},"platform":{"os":"linux","architecture":"arm64","variant":"v8"}}]}""");
        using var ok = await _host.PutManifestAsync("idx", "multi", index, MediaTypes.OciIndex);
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        using var get = await Http.GetAsync("/v2/idx/manifests/multi");
        Assert.Equal(MediaTypes.OciIndex, get.Content.Headers.ContentType!.MediaType);
        var tags = await _host.Server.Metadata.Catalog.TagInfosAsync("idx", CancellationToken.None);
        Assert.Equal(["linux/amd64", "linux/arm64/v8"], tags.Single(t => t.Name == "multi").Platforms);

        using var orphan = await _host.PutManifestAsync("other", "multi", index, MediaTypes.OciIndex);
        Assert.Equal(HttpStatusCode.BadRequest, orphan.StatusCode);
        Assert.Equal("MANIFEST_BLOB_UNKNOWN", await ErrorCodeAsync(orphan));
    }

    [Fact]
    public async Task Tags_and_catalog_paginate_with_link_headers()
    {
        var (manifest, _, _) = await _host.PushImageAsync("pg/one", "e");
        foreach (var t in new[] { "d", "a", "c", "b" })
        {
            using var r = await _host.PutManifestAsync("pg/one", t, manifest, MediaTypes.OciManifest);
        }

        await _host.PushImageAsync("pg/two", "x");
        await _host.PushImageAsync("pg/three", "x");

        using var page1 = await Http.GetAsync("/v2/pg/one/tags/list?n=2");
        Assert.Equal("""{"name":"pg/one","tags":["a","b"]}""", await page1.Content.ReadAsStringAsync());
        Assert.Equal("</v2/pg/one/tags/list?n=2&last=b>; rel=\"next\"", page1.Headers.GetValues("Link").Single());
        Assert.Equal("""{"name":"pg/one","tags":["c","d"]}""", await Http.GetStringAsync("/v2/pg/one/tags/list?n=2&last=b"));
        using var page3 = await Http.GetAsync("/v2/pg/one/tags/list?n=2&last=d");
        Assert.Equal("""{"name":"pg/one","tags":["e"]}""", await page3.Content.ReadAsStringAsync());
        Assert.False(page3.Headers.Contains("Link"));
        Assert.Equal("""{"name":"pg/one","tags":[]}""", await Http.GetStringAsync("/v2/pg/one/tags/list?n=0"));
        using var unknown = await Http.GetAsync("/v2/pg/none/tags/list");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("NAME_UNKNOWN", await ErrorCodeAsync(unknown));
        using var badN = await Http.GetAsync("/v2/pg/one/tags/list?n=-1");
        Assert.Equal(HttpStatusCode.BadRequest, badN.StatusCode);

        using var cat = await Http.GetAsync("/v2/_catalog?n=2");
        Assert.Equal("""{"repositories":["pg/one","pg/three"]}""", await cat.Content.ReadAsStringAsync());
        Assert.Contains("last=pg%2Fthree", cat.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
        Assert.Equal("""{"repositories":["pg/two"]}""", await Http.GetStringAsync("/v2/_catalog?n=2&last=pg/three"));
    }

    [Fact]
    public async Task Deletes_of_tags_manifests_and_blobs()
    {
        var (_, digest, layer) = await _host.PushImageAsync("del", "v1");
        using (var r = await Http.DeleteAsync("/v2/del/manifests/v1"))
        {
            Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync("/v2/del/manifests/v1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync($"/v2/del/manifests/{digest}")).StatusCode);
        using (var r = await Http.DeleteAsync($"/v2/del/manifests/{digest}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/v2/del/manifests/{digest}")).StatusCode);
        using (var r = await Http.DeleteAsync($"/v2/del/manifests/{digest}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
            Assert.Equal("MANIFEST_UNKNOWN", await ErrorCodeAsync(r));
        }

        using (var r = await Http.DeleteAsync($"/v2/del/blobs/{layer}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/v2/del/blobs/{layer}")).StatusCode);
    }

    [Fact]
    public async Task Referrers_list_manifests_with_a_subject_and_filter_by_artifact_type()
    {
        var (subjectManifest, subject, _) = await _host.PushImageAsync("ref", "v1");
        var empty = "{}"u8.ToArray();
        var emptyDigest = await _host.PushBlobAsync("ref", empty);
        var sig = await _host.PushBlobAsync("ref", "signature"u8.ToArray());
        var subjectJson = $$""","subject":{"mediaType":"{{MediaTypes.OciManifest}}","digest":"{{subject}}","size":{{subjectManifest.Length}}}""";
        var artifact = Encoding.UTF8.GetBytes($$$"""{"schemaVersion":2,"mediaType":"{{{MediaTypes.OciManifest}}}","artifactType":"application/vnd.example.sig","config":{"mediaType":"{{{MediaTypes.OciEmpty}}}","digest":"{{{emptyDigest}}}","size":2},"layers":[{"mediaType":"application/octet-stream","digest":"{{{sig}}}","size":9}]{{{subjectJson}}},"annotations":{"org.example":"yes"}}""");
        var sbom = Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}","config":{"mediaType":"application/vnd.example.sbom","digest":"{{emptyDigest}}","size":2},"layers":[]{{subjectJson}}}""");
        using (var r = await _host.PutManifestAsync("ref", Digest.Compute(artifact).ToString(), artifact, MediaTypes.OciManifest))
        {
            Assert.Equal(HttpStatusCode.Created, r.StatusCode);
            Assert.Equal(subject.ToString(), r.Headers.GetValues("OCI-Subject").Single());
        }

        using (var r = await _host.PutManifestAsync("ref", Digest.Compute(sbom).ToString(), sbom, MediaTypes.OciManifest))
        {
            Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        }

        using var all = await Http.GetAsync($"/v2/ref/referrers/{subject}");
        Assert.Equal(MediaTypes.OciIndex, all.Content.Headers.ContentType!.MediaType);
        using var doc = JsonDocument.Parse(await all.Content.ReadAsStringAsync());
        var manifests = doc.RootElement.GetProperty("manifests").EnumerateArray().ToList();
        Assert.Equal(2, manifests.Count);
        Assert.Contains(manifests, m => m.GetProperty("artifactType").GetString() == "application/vnd.example.sig" && m.GetProperty("annotations").GetProperty("org.example").GetString() == "yes");
        Assert.Contains(manifests, m => m.GetProperty("artifactType").GetString() == "application/vnd.example.sbom");

        using var filtered = await Http.GetAsync($"/v2/ref/referrers/{subject}?artifactType=application/vnd.example.sbom");
        Assert.Equal("artifactType", filtered.Headers.GetValues("OCI-Filters-Applied").Single());
        using var fdoc = JsonDocument.Parse(await filtered.Content.ReadAsStringAsync());
        Assert.Single(fdoc.RootElement.GetProperty("manifests").EnumerateArray());

        using var none = await Http.GetAsync($"/v2/ref/referrers/{Digest.Compute(empty)}");
        Assert.Equal(HttpStatusCode.OK, none.StatusCode);
        using var bad = await Http.GetAsync("/v2/ref/referrers/sha256:nothex");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Unsupported_methods_and_paths_get_spec_errors()
    {
        using var r = await Http.PostAsync("/v2/a/tags/list", null);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, r.StatusCode);
        Assert.Equal("UNSUPPORTED", await ErrorCodeAsync(r));
        using var unknown = await Http.GetAsync("/v2/a/whatever");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Health_readiness_and_metrics()
    {
        await _host.PushImageAsync("m", "v1");
        Assert.Equal("ok\n", await Http.GetStringAsync("/healthz"));
        Assert.Equal("ready\n", await Http.GetStringAsync("/readyz"));
        var metrics = await Http.GetStringAsync("/metrics");
        Assert.Contains("strata_registry_requests_total{method=\"PUT\",endpoint=\"manifest\",status=\"201\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("strata_registry_storage_blobs 3", metrics, StringComparison.Ordinal);
        Assert.Contains("strata_registry_request_duration_seconds_count", metrics, StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> PatchAsync(string location, ReadOnlyMemory<byte> chunk, long start)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new ByteArrayContent(chunk.ToArray()) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Content.Headers.TryAddWithoutValidation("Content-Range", $"{start}-{start + chunk.Length - 1}");
        return await Http.SendAsync(request);
    }
}

