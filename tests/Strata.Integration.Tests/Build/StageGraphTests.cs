using System.Diagnostics;
using System.Globalization;

namespace Strata.Integration.Tests.Build;

/// <summary>
/// Stages as a graph: only what the target needs is built, independent stages run in parallel, COPY --from
/// waits for its stage only; --progress=plain output; --output exporters. Needs root, overlayfs and runc/crun.
/// </summary>
[Trait("Category", "Integration")]
public sealed class StageGraphTests(BuildStore store) : IClassFixture<BuildStore>
{
    [Fact]
    public async Task Only_the_stages_the_target_needs_are_built()
    {
        var ctx = store.Context("""
            # syntax=docker/dockerfile:1
            FROM busybox AS unused
            RUN echo unused-stage-ran
            FROM busybox AS dep
            RUN echo dep-stage-ran && echo dep > /dep
            FROM busybox
            COPY --from=dep /dep /dep
            """);
        var result = await store.BuildOkAsync(ctx, "--progress=plain", "-t", "graph:needed");
        Assert.Contains("[Notice] # syntax=docker/dockerfile:1 ignored", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("unused-stage-ran", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("[unused ", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("[dep 2/2] RUN echo dep-stage-ran", result.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"#\d+ \d+\.\d{3} dep-stage-ran", result.Stdout);
        Assert.Matches(@"#\d+ DONE \d+\.\ds", result.Stdout);
        Assert.Contains("[stage-2 2/2] COPY --from=dep /dep /dep", result.Stdout, StringComparison.Ordinal);
        Assert.Equal("dep\n", await store.CatAsync("graph:needed", "dep"));

        var again = await store.BuildOkAsync(ctx, "--progress=plain", "-t", "graph:needed");
        Assert.Matches(@"#\d+ CACHED", again.Stdout);
    }

    [Fact]
    public async Task Independent_stages_build_in_parallel()
    {
        // Each stage stamps the host's uptime (one clock for both) before and after its sleep.
        var ctx = store.Context("""
            FROM busybox AS a
            RUN cut -d' ' -f1 /proc/uptime > /start && sleep 2 && cut -d' ' -f1 /proc/uptime > /end
            FROM busybox AS b
            RUN cut -d' ' -f1 /proc/uptime > /start && sleep 2 && cut -d' ' -f1 /proc/uptime > /end
            FROM busybox
            COPY --from=a /start /a-start
            COPY --from=a /end /a-end
            COPY --from=b /start /b-start
            COPY --from=b /end /b-end
            """);
        var clock = Stopwatch.StartNew();
        await store.BuildOkAsync(ctx, "--no-cache", "-t", "graph:parallel");
        clock.Stop();
        async Task<double> Read(string f) => double.Parse((await store.CatAsync("graph:parallel", f)).Trim(), CultureInfo.InvariantCulture);
        var (aStart, aEnd, bStart, bEnd) = (await Read("a-start"), await Read("a-end"), await Read("b-start"), await Read("b-end"));
        Assert.True(aStart < bEnd && bStart < aEnd, $"the sleeps did not overlap: a {aStart}-{aEnd}, b {bStart}-{bEnd}");
        var both = Math.Max(aEnd, bEnd) - Math.Min(aStart, bStart);
        Assert.True(both < 3.5, $"both sleeps took {both:0.00} s together (build {clock.Elapsed.TotalSeconds:0.0} s)");
    }

    [Fact]
    public async Task Outputs_write_the_final_stage_files_a_tar_and_an_archive()
    {
        var ctx = store.Context("""
            FROM busybox AS build
            RUN mkdir -p /out/sub && echo hello > /out/sub/hello.txt
            FROM scratch
            COPY --from=build /out/ /
            """);
        var dir = Path.Combine(store.Work, "out-" + Guid.NewGuid().ToString("N")[..8]);
        var tar = Path.Combine(store.Work, "out-" + Guid.NewGuid().ToString("N")[..8] + ".tar");
        var oci = Path.Combine(store.Work, "out-" + Guid.NewGuid().ToString("N")[..8] + ".oci.tar");
        await store.BuildOkAsync(ctx, "--output", "type=local,dest=" + dir, "-o", "type=tar,dest=" + tar, "--output", "type=oci,dest=" + oci,
            "--output", "type=image,name=graph/exported:v1");
        Assert.Equal("hello\n", await File.ReadAllTextAsync(Path.Combine(dir, "sub", "hello.txt")));
        Assert.Equal(["sub"], Directory.EnumerateFileSystemEntries(dir).Select(Path.GetFileName));

        var names = new List<string>();
        await using (var f = File.OpenRead(tar))
        {
            var reader = new System.Formats.Tar.TarReader(f);
            while (await reader.GetNextEntryAsync() is { } e)
            {
                names.Add(e.Name.TrimStart('.', '/').TrimEnd('/'));
            }
        }

        Assert.Contains("sub/hello.txt", names);
        var ociNames = new List<string>();
        await using (var f = File.OpenRead(oci))
        {
            var reader = new System.Formats.Tar.TarReader(f);
            while (await reader.GetNextEntryAsync() is { } e)
            {
                ociNames.Add(e.Name);
            }
        }

        Assert.Contains("oci-layout", ociNames);
        Assert.Contains("index.json", ociNames);
        Assert.Equal("hello\n", await store.CatAsync("graph/exported:v1", "sub/hello.txt"));

        var bad = await store.BuildAsync(ctx, "--output", "type=floppy,dest=x");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("--output", bad.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Platform_args_are_set_as_buildkit_sets_them()
    {
        var arch = Strata.Oci.Platform.Host.Architecture;
        var ctx = store.Context("""
            FROM busybox
            ARG TARGETPLATFORM
            ARG TARGETOS
            ARG BUILDARCH
            RUN echo "$TARGETPLATFORM $TARGETOS $BUILDARCH" > /plat
            """);
        await store.BuildOkAsync(ctx, "--platform", "linux/" + arch, "-t", "graph:platform");
        Assert.Equal($"linux/{arch} linux {arch}\n", await store.CatAsync("graph:platform", "plat"));
    }
}
