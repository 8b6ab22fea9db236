using Strata.Integration.Tests.Images;
using Strata.Integration.Tests.Support;

namespace Strata.Integration.Tests.Build;

/// <summary>
/// The same Dockerfile built by Strata and by <c>buildah bud --layers</c> gives the same number of layers and the
/// same file tree; the Strata image runs under podman after <c>save</c> / <c>load</c>.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PeerBuildTests(BuildStore store) : IClassFixture<BuildStore>
{
    private const string Dockerfile = """
        FROM busybox
        ENV GREETING=hi
        RUN mkdir -p /app && echo built > /app/built.txt
        COPY hello.txt /app/
        COPY conf/ /etc/app/
        RUN rm /app/built.txt && echo "$GREETING" > /app/env.txt && chmod 0750 /app
        CMD ["cat", "/app/hello.txt", "/app/env.txt"]
        """;

    private static readonly Dictionary<string, string> Files = new()
    {
        ["hello.txt"] = "hello from the context\n",
        ["conf/a.conf"] = "a=1\n",
        ["conf/sub/b.conf"] = "b=2\n",
    };

    [Fact]
    public async Task Buildah_builds_the_same_layers_and_tree_and_podman_runs_the_strata_image()
    {
        var ctx = store.Context(Dockerfile, Files);
        var built = await store.BuildOkAsync(ctx, "-t", "peer/strata:1");
        Assert.Contains("Successfully tagged peer/strata:1", built.Stdout, StringComparison.Ordinal);

        using var podman = new IsolatedPodman();
        var work = Directory.CreateTempSubdirectory("strata-peer-build-").FullName;
        try
        {
            // buildah gets the very same base image, through a docker-archive written by strata.
            var baseTar = Path.Combine(work, "busybox.tar");
            await store.Strata.OkAsync("save", "-o", baseTar, "busybox:latest");
            await podman.OkAsync("load", "-i", baseTar);
            var buildahFile = Path.Combine(ctx, "Dockerfile.buildah");
            await File.WriteAllTextAsync(buildahFile, Dockerfile.Replace("FROM busybox", "FROM docker.io/library/busybox:latest", StringComparison.Ordinal));
            (await podman.BuildahAsync("bud", "--layers", "--isolation", "chroot", "-f", buildahFile, "-t", "peer/buildah:1", ctx)).EnsureSuccess("buildah bud");

            // Bring buildah's image into strata to compare both with the same reader.
            var peerTar = Path.Combine(work, "peer.tar");
            await podman.OkAsync("save", "--format", "docker-archive", "-o", peerTar, "localhost/peer/buildah:1");
            await store.Strata.OkAsync("load", "-i", peerTar);

            var (ours, ourConfig) = await store.ReadAsync("peer/strata:1");
            var (theirs, theirConfig) = await store.ReadAsync("localhost/peer/buildah:1");
            Assert.Equal(theirs.Layers.Count, ours.Layers.Count);
            Assert.Equal(5, ours.Layers.Count);
            Assert.Equal(theirConfig.Config?.Cmd, ourConfig.Config?.Cmd);
            Assert.Contains("GREETING=hi", ourConfig.Config!.Env!);

            var ourTree = await store.FileTreeAsync("peer/strata:1");
            var theirTree = await store.FileTreeAsync("localhost/peer/buildah:1");
            string Describe(SortedDictionary<string, Strata.Storage.Layers.LayerEntry> t) => string.Join('\n', t
                .Where(kv => kv.Key.StartsWith("app", StringComparison.Ordinal) || kv.Key.StartsWith("etc/app", StringComparison.Ordinal))
                .Select(kv => $"{kv.Key} {kv.Value.Type} {kv.Value.Size} {kv.Value.Mode & 0x1FF:x} {kv.Value.Uid}:{kv.Value.Gid}"));
            Assert.Equal(Describe(theirTree), Describe(ourTree));
            // Elsewhere the same names, except the mount points buildah's RUN leaves behind as empty files.
            string[] runtimeArtifacts = ["etc/hostname", "etc/hosts", "etc/resolv.conf", "run", "run/.containerenv"];
            bool Outside(string k) => !k.StartsWith("app", StringComparison.Ordinal) && !k.StartsWith("etc/app", StringComparison.Ordinal) && !runtimeArtifacts.Contains(k);
            Assert.Equal(theirTree.Keys.Where(Outside).Order(StringComparer.Ordinal), ourTree.Keys.Where(Outside).Order(StringComparer.Ordinal));

            // podman runs what strata built.
            var ourTar = Path.Combine(work, "ours.tar");
            await store.Strata.OkAsync("save", "-o", ourTar, "peer/strata:1");
            await podman.OkAsync("load", "-i", ourTar);
            var run = (await podman.RunContainerAsync("docker.io/peer/strata:1")).EnsureSuccess("podman run");
            Assert.Equal("hello from the context\nhi\n", run.Stdout);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>RUN --mount (cache, bind from a stage, tmpfs, secret) in both builders: the same files, and no mount stubs in ours.</summary>
    [Fact]
    public async Task Buildah_and_strata_give_the_same_tree_for_run_mounts()
    {
        const string template = """
            FROM busybox AS build
            RUN mkdir /out && echo artifact > /out/a.txt
            FROM busybox
            RUN --mount=type=cache,target=/cache echo x >> /cache/log && cp /cache/log /log-copy
            RUN --mount=type=bind,from=build,source=/out,target=/src cp /src/a.txt /a.txt
            RUN --mount=type=tmpfs,target=/scratch echo t > /scratch/t && ls /scratch > /tmpfs-list
            RUN --mount=type=secret,id=tok wc -c < /run/secrets/tok > /secret-size
            COPY --from=build /out/a.txt /copied.txt
            """;

        // buildah keeps cache mounts host-wide (not in its storage root): a fresh id per run, so an earlier run's
        // entries are never seen.
        var mounts = template.Replace("type=cache,", "type=cache,id=peer-" + Guid.NewGuid().ToString("N")[..12] + ",", StringComparison.Ordinal);
        var ctx = store.Context(mounts);
        var secret = Path.Combine(store.Work, "tok-" + Guid.NewGuid().ToString("N")[..8]);
        await File.WriteAllTextAsync(secret, "0123456789");
        await store.BuildOkAsync(ctx, "--secret", "id=tok,src=" + secret, "-t", "peer/strata-mounts:1");

        using var podman = new IsolatedPodman();
        var work = Directory.CreateTempSubdirectory("strata-peer-mounts-").FullName;
        try
        {
            var baseTar = Path.Combine(work, "busybox.tar");
            await store.Strata.OkAsync("save", "-o", baseTar, "busybox:latest");
            await podman.OkAsync("load", "-i", baseTar);
            var buildahFile = Path.Combine(ctx, "Dockerfile.buildah");
            await File.WriteAllTextAsync(buildahFile, mounts.Replace("FROM busybox", "FROM docker.io/library/busybox:latest", StringComparison.Ordinal));
            (await podman.BuildahAsync("bud", "--layers", "--isolation", "chroot", "--secret", "id=tok,src=" + secret, "-f", buildahFile, "-t", "peer/buildah-mounts:1", ctx)).EnsureSuccess("buildah bud");
            var peerTar = Path.Combine(work, "peer.tar");
            await podman.OkAsync("save", "--format", "docker-archive", "-o", peerTar, "localhost/peer/buildah-mounts:1");
            await store.Strata.OkAsync("load", "-i", peerTar);

            var ourTree = await store.FileTreeAsync("peer/strata-mounts:1");
            var theirTree = await store.FileTreeAsync("localhost/peer/buildah-mounts:1");
            foreach (var f in new[] { "log-copy", "a.txt", "tmpfs-list", "secret-size", "copied.txt" })
            {
                Assert.Equal(await store.CatAsync("localhost/peer/buildah-mounts:1", f), await store.CatAsync("peer/strata-mounts:1", f));
            }

            // buildah leaves its RUN mount points (and its runtime files) behind as empty entries; Strata leaves none.
            string[] stubs = ["cache", "src", "scratch", "run/secrets", "run/secrets/tok", "etc/hostname", "etc/hosts", "etc/resolv.conf", "run", "run/.containerenv"];
            Assert.DoesNotContain(ourTree.Keys, k => k is "cache" or "src" or "scratch" || k.StartsWith("run/secrets", StringComparison.Ordinal));
            Assert.Equal(theirTree.Keys.Where(k => !stubs.Contains(k)).Order(StringComparer.Ordinal), ourTree.Keys.Where(k => !stubs.Contains(k)).Order(StringComparer.Ordinal));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
