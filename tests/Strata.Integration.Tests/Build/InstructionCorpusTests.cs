using Strata.Oci;

namespace Strata.Integration.Tests.Build;

/// <summary>
/// Dockerfiles covering every instruction; each built image's config and history are checked against what
/// Docker's classic builder writes (config fields, layer count, <c>created_by</c> text, <c>empty_layer</c>).
/// </summary>
[Trait("Category", "Integration")]
public sealed class InstructionCorpusTests(BuildStore store) : IClassFixture<BuildStore>
{
    private static List<string> NewHistory(ImageConfig config) =>
        config.History!.Skip(1).Select(h => (h.EmptyLayer == true ? "E " : "L ") + h.CreatedBy).ToList();

    [Fact]
    public async Task Every_config_instruction()
    {
        var ctx = store.Context("""
            # syntax=docker/dockerfile:1
            ARG BASE=busybox
            FROM ${BASE}:latest AS base
            MAINTAINER Jane Doe <jane@example.com>
            ARG VERSION=1.0
            ENV APP_HOME=/opt/app \
                # a comment inside a continuation
                GREETING="hello world"
            LABEL org.example.version=$VERSION "org.example.name"="demo app"
            WORKDIR $APP_HOME
            WORKDIR sub
            USER nobody:nogroup
            EXPOSE 80 53/udp 8000-8001
            VOLUME ["/data", "/logs"]
            STOPSIGNAL SIGQUIT
            HEALTHCHECK --interval=30s --timeout=5s --start-period=1s --retries=4 CMD wget -q -O- http://localhost/ || exit 1
            ONBUILD RUN echo triggered > /onbuild.txt
            SHELL ["/bin/sh", "-ec"]
            ENTRYPOINT ["/bin/sh", "-c"]
            CMD echo $GREETING
            """);
        var run = await store.BuildOkAsync(ctx, "-t", "corpus:config", "--build-arg", "VERSION=2.5");
        Assert.Contains("Step 1/16 : FROM ${BASE}:latest AS base", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("Successfully tagged corpus:config", run.Stdout, StringComparison.Ordinal);

        var (manifest, config) = await store.ReadAsync("corpus:config");
        var c = config.Config!;
        Assert.Equal("Jane Doe <jane@example.com>", config.Author);
        Assert.Equal(["APP_HOME=/opt/app", "GREETING=hello world"], c.Env!.Where(e => !e.StartsWith("PATH=", StringComparison.Ordinal)));
        Assert.Equal("2.5", c.Labels!["org.example.version"]);
        Assert.Equal("demo app", c.Labels["org.example.name"]);
        Assert.Equal("/opt/app/sub", c.WorkingDir);
        Assert.Equal("nobody:nogroup", c.User);
        Assert.Equal(["53/udp", "80/tcp", "8000/tcp", "8001/tcp"], c.ExposedPorts!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["/data", "/logs"], c.Volumes!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("SIGQUIT", c.StopSignal);
        Assert.Equal(["CMD-SHELL", "wget -q -O- http://localhost/ || exit 1"], c.Healthcheck!.Test);
        Assert.Equal(30_000_000_000L, c.Healthcheck.Interval);
        Assert.Equal(5_000_000_000L, c.Healthcheck.Timeout);
        Assert.Equal(1_000_000_000L, c.Healthcheck.StartPeriod);
        Assert.Equal(4, c.Healthcheck.Retries);
        Assert.Equal(["RUN echo triggered > /onbuild.txt"], c.OnBuild);
        Assert.Equal(["/bin/sh", "-ec"], c.Shell);
        Assert.Equal(["/bin/sh", "-c"], c.Entrypoint);
        Assert.Equal(["/bin/sh", "-ec", "echo $GREETING"], c.Cmd);

        // busybox layer + the two WORKDIRs that created directories.
        Assert.Equal(3, manifest.Layers.Count);
        Assert.Equal(3, config.RootFs.DiffIds.Count);
        Assert.Equal(
        [
            "E /bin/sh -c #(nop)  MAINTAINER Jane Doe <jane@example.com>",
            "E /bin/sh -c #(nop)  ARG VERSION=1.0",
            "E /bin/sh -c #(nop)  ENV APP_HOME=/opt/app GREETING=hello world",
            "E /bin/sh -c #(nop)  LABEL org.example.version=2.5 org.example.name=demo app",
            "L /bin/sh -c #(nop) WORKDIR /opt/app",
            "L /bin/sh -c #(nop) WORKDIR /opt/app/sub",
            "E /bin/sh -c #(nop)  USER nobody:nogroup",
            "E /bin/sh -c #(nop)  EXPOSE 80 53/udp 8000-8001",
            "E /bin/sh -c #(nop)  VOLUME [/data /logs]",
            "E /bin/sh -c #(nop)  STOPSIGNAL SIGQUIT",
            "E /bin/sh -c #(nop)  HEALTHCHECK &{[\"CMD-SHELL\" \"wget -q -O- http://localhost/ || exit 1\"] \"30s\" \"5s\" \"1s\" '\\x04'}",
            "E /bin/sh -c #(nop)  ONBUILD RUN echo triggered > /onbuild.txt",
            "E /bin/sh -ec #(nop)  SHELL [/bin/sh -ec]",
            "E /bin/sh -ec #(nop)  ENTRYPOINT [\"/bin/sh\" \"-c\"]",
            "E /bin/sh -ec #(nop)  CMD [\"/bin/sh\" \"-ec\" \"echo $GREETING\"]",
        ], NewHistory(config));
        Assert.All(config.History!.Skip(1), h => Assert.Equal("Jane Doe <jane@example.com>", h.Author));
    }

    [Fact]
    public async Task Run_forms_build_args_heredocs_and_escape_directive()
    {
        var ctx = store.Context("""
            # escape=`
            FROM busybox
            ARG WHO=world
            ENV PATH=/bin:/sbin
            RUN echo "hello $WHO" > /hello.txt
            RUN ["/bin/sh", "-c", "echo exec > /exec.txt"]
            RUN mkdir -p /a/b && `
                # comment lines inside continuations are dropped
                echo continued > /a/b/c.txt
            RUN <<EOF
            echo heredoc1 > /h1.txt
            echo heredoc2 >> /h1.txt
            EOF
            RUN <<-'EOT' cat > /h2.txt
            	no $expansion here
            	EOT
            RUN --network=none cat /etc/hosts > /dev/null
            RUN true
            """);
        await store.BuildOkAsync(ctx, "-t", "corpus:run", "--build-arg", "WHO=strata");
        var (manifest, config) = await store.ReadAsync("corpus:run");
        var files = await store.FileTreeAsync("corpus:run");
        Assert.Contains("hello.txt", files.Keys);
        Assert.Contains("exec.txt", files.Keys);
        Assert.Contains("a/b/c.txt", files.Keys);
        Assert.Contains("h1.txt", files.Keys);
        Assert.Contains("h2.txt", files.Keys);
        var layers = await store.LayerEntriesAsync("corpus:run");
        Assert.Equal(1 + 5, manifest.Layers.Count); // --network=none cat and `true` change nothing: empty layers
        var history = NewHistory(config);
        Assert.Equal("L |1 WHO=strata /bin/sh -c echo \"hello $WHO\" > /hello.txt", history[2]);
        Assert.Equal("L |1 WHO=strata /bin/sh -c echo exec > /exec.txt", history[3]); // exec form: argv joined, build args prefixed too
        Assert.Equal("E |1 WHO=strata /bin/sh -c true", history[^1]);
        Assert.Equal("E |1 WHO=strata /bin/sh -c cat /etc/hosts > /dev/null", history[^2]);
        Assert.DoesNotContain(layers.Skip(1).SelectMany(l => l), e => e.Path is "etc/hosts" or "etc/resolv.conf" or "proc" or "sys");
    }

    [Fact]
    public async Task Parse_errors_name_file_line_and_column()
    {
        var ctx = store.Context("FROM busybox\n\n  COPY onlyone\n");
        var r = await store.BuildAsync(ctx);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("Dockerfile:3:3: COPY requires at least two arguments", r.Stderr, StringComparison.Ordinal);
        Assert.Single(r.Stderr.Trim().Split('\n'));

        var bad = store.Context("FROM busybox\nRUN false\n");
        var failed = await store.BuildAsync(bad);
        Assert.NotEqual(0, failed.ExitCode);
        Assert.Contains("The command '/bin/sh -c false' returned a non-zero code: 1", failed.Stderr, StringComparison.Ordinal);
    }
}
