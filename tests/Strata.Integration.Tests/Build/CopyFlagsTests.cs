using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Strata.Integration.Tests.Build;

/// <summary>COPY --exclude and --parents, ADD --checksum against a loopback HTTP server, and --metadata-file.</summary>
[Trait("Category", "Integration")]
public sealed class CopyFlagsTests(BuildStore store) : IClassFixture<BuildStore>
{
    [Fact]
    public async Task Exclude_and_parents_shape_what_copy_writes()
    {
        var ctx = store.Context("""
            FROM busybox
            COPY --exclude=*.md --exclude=skip docs/ /docs/
            COPY --parents a/b/c.txt a/d.txt /p/
            """, new Dictionary<string, string>
        {
            ["docs/readme.md"] = "md\n",
            ["docs/keep.txt"] = "keep\n",
            ["docs/skip/x"] = "x\n",
            ["a/b/c.txt"] = "c\n",
            ["a/d.txt"] = "d\n",
        });
        var meta = Path.Combine(store.Work, "meta-" + Guid.NewGuid().ToString("N")[..8] + ".json");
        await store.BuildOkAsync(ctx, "--metadata-file", meta, "-t", "copyflags:1");
        var tree = await store.FileTreeAsync("copyflags:1");
        Assert.Contains("docs/keep.txt", tree.Keys);
        Assert.DoesNotContain("docs/readme.md", tree.Keys);
        Assert.DoesNotContain(tree.Keys, k => k.StartsWith("docs/skip", StringComparison.Ordinal));
        Assert.Equal("c\n", await store.CatAsync("copyflags:1", "p/a/b/c.txt"));
        Assert.Equal("d\n", await store.CatAsync("copyflags:1", "p/a/d.txt"));

        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(meta));
        var id = (await store.Strata.OkAsync("images", "-q", "--no-trunc", "copyflags:1")).Trim();
        Assert.Equal(id, doc.RootElement.GetProperty("containerimage.config.digest").GetString());
        Assert.StartsWith("sha256:", doc.RootElement.GetProperty("containerimage.digest").GetString(), StringComparison.Ordinal);
        Assert.Contains("copyflags:1", doc.RootElement.GetProperty("image.name").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_checksum_accepts_the_right_digest_and_refuses_another()
    {
        var body = Encoding.UTF8.GetBytes("payload-" + Guid.NewGuid().ToString("N"));
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body));
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        using var stop = new CancellationTokenSource();
        var serve = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                HttpListenerContext c;
                try
                {
                    c = await listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                c.Response.ContentLength64 = body.Length;
                await c.Response.OutputStream.WriteAsync(body);
                c.Response.Close();
            }
        });

        var good = store.Context($"FROM busybox\nADD --checksum={digest} http://127.0.0.1:{port}/file.bin /file.bin\n");
        await store.BuildOkAsync(good, "-t", "copyflags:checksum");
        Assert.Equal(Encoding.UTF8.GetString(body), await store.CatAsync("copyflags:checksum", "file.bin"));

        var bad = store.Context($"FROM busybox\nADD --checksum=sha256:{new string('0', 64)} http://127.0.0.1:{port}/file.bin /file.bin\n");
        var failed = await store.BuildAsync(bad);
        Assert.NotEqual(0, failed.ExitCode);
        Assert.Contains("digest mismatch", failed.Stderr, StringComparison.Ordinal);
        await stop.CancelAsync();
        listener.Stop();
        await serve;
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
