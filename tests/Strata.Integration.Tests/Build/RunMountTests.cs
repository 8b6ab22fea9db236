using System.IO.Compression;
using System.Net.Sockets;
using System.Text;
using Strata.Engine;
using Strata.Storage.Layers;

namespace Strata.Integration.Tests.Build;

/// <summary>
/// RUN steps in the runtime's bundle (isolation as <c>run</c>) and RUN --mount: cache (persistent, never in the
/// image), secret (never in a layer or the history), bind from a stage and the context, tmpfs, ssh, and
/// --security=insecure behind --allow. Needs root, overlayfs and runc/crun.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RunMountTests(BuildStore store) : IClassFixture<BuildStore>
{
    [Fact]
    public async Task Run_step_gets_the_container_bundle_and_leaves_no_mount_points_in_its_layer()
    {
        var ctx = store.Context("""
            FROM busybox
            RUN test -f /etc/hostname && grep -q /sys/fs/cgroup /proc/self/mountinfo && grep -q '/proc/keys' /proc/self/mountinfo && echo isolated > /iso
            """);
        await store.BuildOkAsync(ctx, "-t", "mounts:bundle");
        Assert.Equal("isolated\n", await store.CatAsync("mounts:bundle", "iso"));
        var layers = await store.LayerEntriesAsync("mounts:bundle");
        Assert.DoesNotContain(layers[^1], e => e.Path.StartsWith("etc", StringComparison.Ordinal) || e.Path.StartsWith("proc", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cache_mount_persists_across_builds_and_stays_out_of_the_image()
    {
        var marker = Guid.NewGuid().ToString("N");
        var ctx = store.Context($"""
            FROM busybox
            RUN --mount=type=cache,target=/cache,id={marker} echo entry-$(cat /proc/sys/kernel/random/uuid) >> /cache/log && cp /cache/log /seen
            """);
        await store.BuildOkAsync(ctx, "-t", "mounts:cache1");
        var first = await store.CatAsync("mounts:cache1", "seen");
        Assert.Single(first.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        await store.BuildOkAsync(ctx, "--no-cache", "-t", "mounts:cache2");
        var second = (await store.CatAsync("mounts:cache2", "seen")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, second.Length);
        Assert.Equal(first.Trim(), second[0]);
        var tree = await store.FileTreeAsync("mounts:cache2");
        Assert.DoesNotContain(tree.Keys, k => k == "cache" || k.StartsWith("cache/", StringComparison.Ordinal));

        // A cache mount is not an input: the step still hits without --no-cache.
        var cached = await store.BuildOkAsync(ctx, "-t", "mounts:cache3");
        Assert.Contains("Using cache", cached.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secret_is_readable_in_run_and_absent_from_layers_and_history()
    {
        var secretValue = "s3cr3t-" + Guid.NewGuid().ToString("N");
        var secretFile = Path.Combine(store.Work, "secret-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(secretFile, secretValue);
        // The Dockerfile never names the value: the steps record its digest, which the test compares.
        var ctx = store.Context("""
            FROM busybox
            RUN --mount=type=secret,id=tok sha256sum /run/secrets/tok | cut -c1-64 > /file-hash
            RUN --mount=type=secret,id=tok,env=TOKEN,target=/etc/tok.txt printf %s "$TOKEN" | sha256sum | cut -c1-64 > /env-hash && cmp /etc/tok.txt /run/secrets/tok 2>/dev/null; cat /etc/tok.txt | sha256sum | cut -c1-64 > /target-hash
            RUN --mount=type=secret,id=absent ls /run/secrets/ > /listing 2>&1 || echo none > /listing
            """);
        await store.BuildOkAsync(ctx, "--secret", "id=tok,src=" + secretFile, "-t", "mounts:secret");
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(secretValue))) + "\n";
        Assert.Equal(expected, await store.CatAsync("mounts:secret", "file-hash"));
        Assert.Equal(expected, await store.CatAsync("mounts:secret", "env-hash"));
        Assert.Equal(expected, await store.CatAsync("mounts:secret", "target-hash"));

        // Grep every layer (decompressed) and the config (history) of the saved archive.
        var archive = Path.Combine(store.Work, "secret-" + Guid.NewGuid().ToString("N") + ".tar");
        await store.Strata.OkAsync("save", "-o", archive, "mounts:secret");
        var needle = Encoding.UTF8.GetBytes(secretValue);
        var tree = await store.FileTreeAsync("mounts:secret");
        Assert.DoesNotContain(tree.Keys, k => k.StartsWith("run/secrets", StringComparison.Ordinal) || k == "etc/tok.txt");
        var members = 0;
        await using (var f = File.OpenRead(archive))
        {
            var reader = new System.Formats.Tar.TarReader(f);
            while (await reader.GetNextEntryAsync(copyData: true) is { } e)
            {
                if (e.DataStream is null)
                {
                    continue;
                }

                members++;
                using var ms = new MemoryStream();
                await e.DataStream.CopyToAsync(ms);
                var bytes = ms.ToArray();
                Assert.True(bytes.AsSpan().IndexOf(needle) < 0, $"{e.Name} holds the secret");
                if (bytes.Length > 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
                {
                    using var gz = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
                    using var plain = new MemoryStream();
                    await gz.CopyToAsync(plain);
                    Assert.True(plain.ToArray().AsSpan().IndexOf(needle) < 0, $"{e.Name} (decompressed) holds the secret");
                }
            }
        }

        Assert.True(members > 2);
        var history = await store.Strata.OkAsync("history", "--no-trunc", "mounts:secret");
        Assert.DoesNotContain(secretValue, history, StringComparison.Ordinal);

        // required=true without --secret fails with one clear line.
        var bad = store.Context("FROM busybox\nRUN --mount=type=secret,id=nope,required=true true\n");
        var failed = await store.BuildAsync(bad);
        Assert.NotEqual(0, failed.ExitCode);
        Assert.Contains("secret nope: not found", failed.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bind_mounts_read_a_stage_and_the_context_without_copying()
    {
        var ctx = store.Context("""
            FROM busybox AS build
            RUN mkdir /out && echo built > /out/artifact && dd if=/dev/zero of=/out/big bs=1k count=256 2>/dev/null
            FROM busybox
            RUN --mount=type=bind,from=build,source=/out,target=/src cp /src/artifact /artifact && test -f /src/big
            RUN --mount=type=bind,source=input,target=/in cat /in/data > /from-context
            RUN --mount=type=bind,target=/ctx,rw touch /ctx/written && test -f /ctx/written
            RUN --mount=type=tmpfs,target=/scratch,size=1m grep -q ' /scratch ' /proc/mounts && echo x > /scratch/f && echo tmpfs-ok > /tmpfs-ok
            """, new Dictionary<string, string> { ["input/data"] = "context-data\n" });
        await store.BuildOkAsync(ctx, "-t", "mounts:bind");
        Assert.Equal("built\n", await store.CatAsync("mounts:bind", "artifact"));
        Assert.Equal("context-data\n", await store.CatAsync("mounts:bind", "from-context"));
        Assert.Equal("tmpfs-ok\n", await store.CatAsync("mounts:bind", "tmpfs-ok"));
        var tree = await store.FileTreeAsync("mounts:bind");
        Assert.DoesNotContain(tree.Keys, k => k is "src" or "in" or "ctx" or "scratch" || k.StartsWith("out", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(ctx, "written")), "rw bind writes are discarded");
        var layers = await store.LayerEntriesAsync("mounts:bind");
        Assert.DoesNotContain(layers.SelectMany(l => l), e => e.Path.EndsWith("big", StringComparison.Ordinal) && e.Path != "out/big");

        // Changing a bound context file invalidates the step that binds it.
        await File.WriteAllTextAsync(Path.Combine(ctx, "input", "data"), "changed\n");
        await store.BuildOkAsync(ctx, "-t", "mounts:bind2");
        Assert.Equal("changed\n", await store.CatAsync("mounts:bind2", "from-context"));
    }

    [Fact]
    public async Task Ssh_mount_forwards_the_agent_socket()
    {
        var sock = Path.Combine(store.Work, "agent-" + Guid.NewGuid().ToString("N")[..8] + ".sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(sock));
        listener.Listen(4);
        var ctx = store.Context("FROM busybox\nRUN --mount=type=ssh test -S \"$SSH_AUTH_SOCK\" && echo \"$SSH_AUTH_SOCK\" > /ssh-ok\n");
        await store.BuildOkAsync(ctx, "--ssh", "default=" + sock, "-t", "mounts:ssh");
        Assert.Equal("/run/buildkit/ssh_agent.0\n", await store.CatAsync("mounts:ssh", "ssh-ok"));
        var tree = await store.FileTreeAsync("mounts:ssh");
        Assert.DoesNotContain(tree.Keys, k => k.StartsWith("run/buildkit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Insecure_run_needs_the_entitlement()
    {
        var ctx = store.Context("FROM busybox\nRUN grep CapEff /proc/self/status > /normal\nRUN --security=insecure grep CapEff /proc/self/status > /insecure\n");
        var denied = await store.BuildAsync(ctx);
        Assert.NotEqual(0, denied.ExitCode);
        Assert.Contains("--allow security.insecure", denied.Stderr, StringComparison.Ordinal);
        await store.BuildOkAsync(ctx, "--allow", "security.insecure", "-t", "mounts:insecure");
        Assert.NotEqual(await store.CatAsync("mounts:insecure", "normal"), await store.CatAsync("mounts:insecure", "insecure"));
    }
}
