using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Strata.Integration.Tests.Support;

namespace Strata.Integration.Tests.Registry;

/// <summary>
/// kill -9 of <c>strata registry serve</c> in the middle of a chunked upload: after a restart on the same data
/// directory, committed images are all there and pull, the half-uploaded blob is not visible, and the upload
/// session resumes from the offset its status reports (or is cancelled and started again).
/// </summary>
[Trait("Category", "Integration")]
public sealed class CrashSafetyTests : IDisposable
{
    private const int BlobSize = 24 * 1024 * 1024;
    private readonly StrataBinary _strata = new();
    private readonly StrataBinary _empty = new();
    private readonly HttpClient _http = new(new HttpClientHandler { UseProxy = false }) { Timeout = TimeSpan.FromMinutes(2) };

    public void Dispose()
    {
        _http.Dispose();
        _strata.Dispose();
        _empty.Dispose();
    }

    private static void ContentRange(HttpContent content, long from, long length) =>
        content.Headers.TryAddWithoutValidation("Content-Range", $"{from}-{from + length - 1}");

    private async Task<Uri> StartUploadAsync(StrataRegistry registry, string repo)
    {
        using var start = await _http.PostAsync(new Uri(registry.BaseUri, $"v2/{repo}/blobs/uploads/"), null);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        return new Uri(registry.BaseUri, start.Headers.Location!);
    }

    private async Task<Uri> PatchAsync(Uri location, byte[] blob, int from, int length)
    {
        using var content = new ByteArrayContent(blob, from, length);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        ContentRange(content, from, length);
        using var patch = await _http.PatchAsync(location, content);
        Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
        Assert.Equal($"0-{from + length - 1}", patch.Headers.GetValues("Range").Single());
        return new Uri(location, patch.Headers.Location!);
    }

    /// <summary>The upload's offset from <c>GET</c> on its location (<c>Range: 0-N</c>, spec "Get upload status").</summary>
    private async Task<long> UploadOffsetAsync(Uri location)
    {
        using var status = await _http.GetAsync(location);
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        var range = status.Headers.GetValues("Range").Single();
        var end = long.Parse(range.Split('-')[1], System.Globalization.CultureInfo.InvariantCulture);
        return range == "0-0" ? 0 : end + 1;
    }

    private async Task<HttpStatusCode> HeadBlobAsync(StrataRegistry registry, string repo, string digest)
    {
        using var head = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri(registry.BaseUri, $"v2/{repo}/blobs/{digest}")));
        return head.StatusCode;
    }

    [Fact]
    public async Task A_killed_server_keeps_committed_images_hides_partial_blobs_and_resumes_uploads()
    {
        await using var registry = await StrataRegistry.StartAsync(_strata);

        // Committed before the crash: a multi-layer image pushed by strata.
        await TestImages.LoadRandomAsync(_strata, "crash/committed:1", layers: 3, layerBytes: 2 * 1024 * 1024);
        var committed = $"{registry.Host}/crash/committed:1";
        await _strata.OkAsync("tag", "crash/committed:1", committed);
        await _strata.OkAsync("push", committed);

        // In flight at the crash: a blob half uploaded in one PATCH, then a second PATCH stalled mid-body,
        // and a second session to cancel afterwards.
        var blob = RandomNumberGenerator.GetBytes(BlobSize);
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(blob));
        var location = await StartUploadAsync(registry, "crash/partial");
        location = await PatchAsync(location, blob, 0, BlobSize / 2);
        var other = await StartUploadAsync(registry, "crash/partial");
        await PatchAsync(other, blob, 0, 1024 * 1024);

        using var stalledCts = new CancellationTokenSource();
        using var stalledBody = new StallingContent(blob[(BlobSize / 2)..(BlobSize / 2 + 4 * 1024 * 1024)]);
        ContentRange(stalledBody, BlobSize / 2, BlobSize / 2);
        var stalled = _http.PatchAsync(location, stalledBody, stalledCts.Token);
        await stalledBody.Sent.WaitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(500);
        await registry.Process.Kill9Async();
        await Assert.ThrowsAnyAsync<Exception>(() => stalled);

        await registry.RestartAsync();

        // Committed data: all there, nothing for gc to repair or free, and an empty store pulls and verifies it.
        var gc = await registry.AdminOkAsync("gc", "--dry-run");
        Assert.Contains("(0 blobs, 0 manifests, 0 tags, 0 uploads)", gc);
        await _empty.OkAsync("pull", committed);
        Assert.Equal(await TestImages.ImageIdAsync(_strata, "crash/committed:1"), await TestImages.ImageIdAsync(_empty, committed));
        Assert.EndsWith("No problems found.", (await _empty.OkAsync("system", "check")).Trim());

        // The partial blob is not visible.
        Assert.Equal(HttpStatusCode.NotFound, await HeadBlobAsync(registry, "crash/partial", digest));

        // The session survived: its status reports at least the acknowledged half (maybe part of the stalled
        // chunk too, never more than was sent), and the upload resumes from exactly there.
        var offset = await UploadOffsetAsync(location);
        Assert.InRange(offset, BlobSize / 2, BlobSize / 2 + 4 * 1024 * 1024);
        location = await PatchAsync(location, blob, (int)offset, BlobSize - (int)offset);
        using (var put = await _http.PutAsync(new Uri(location + (location.Query.Length > 0 ? "&" : "?") + "digest=" + digest), null))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, await HeadBlobAsync(registry, "crash/partial", digest));
        var fetched = await _http.GetByteArrayAsync(new Uri(registry.BaseUri, $"v2/crash/partial/blobs/{digest}"));
        Assert.Equal(digest, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(fetched)));

        // The other session can be cancelled instead, and is then gone.
        Assert.Equal(1024 * 1024, await UploadOffsetAsync(other));
        using (var cancel = await _http.DeleteAsync(other))
        {
            Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);
        }

        using (var gone = await _http.GetAsync(other))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }
    }

    [Fact]
    public async Task A_push_killed_with_the_server_completes_after_restart()
    {
        await using var registry = await StrataRegistry.StartAsync(_strata);
        var id = await TestImages.LoadRandomAsync(_strata, "crash/big:1", layers: 4, layerBytes: 16 * 1024 * 1024);
        var name = $"{registry.Host}/crash/big:1";
        await _strata.OkAsync("tag", "crash/big:1", name);

        // Kill the server once the registry has some of the push's bytes on disk.
        var push = _strata.RunAsync(["push", name], null);
        var ingests = Path.Combine(registry.DataDir, "content");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DirectoryBytes(ingests) < 8 * 1024 * 1024 && DateTime.UtcNow < deadline && !push.IsCompleted)
        {
            await Task.Delay(20);
        }

        await registry.Process.Kill9Async();
        var first = await push;
        await registry.RestartAsync();

        // Whether or not the interrupted push got its manifest in, the image is either absent or whole.
        if (first.ExitCode != 0)
        {
            using var head = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri(registry.BaseUri, "v2/crash/big/manifests/1")));
            Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        }

        await _strata.OkAsync("push", name);
        await _empty.OkAsync("pull", name);
        Assert.Equal(id, await TestImages.ImageIdAsync(_empty, name));
        Assert.EndsWith("No problems found.", (await _empty.OkAsync("system", "check")).Trim());
        Assert.Contains("(0 blobs, 0 manifests, 0 tags, 0 uploads)", await registry.AdminOkAsync("gc", "--dry-run"));
    }

    private static long DirectoryBytes(string dir) =>
        Directory.Exists(dir)
            ? new DirectoryInfo(dir).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f =>
            {
                try
                {
                    return f.Length;
                }
                catch (FileNotFoundException)
                {
                    return 0L;
                }
            })
            : 0;
}
