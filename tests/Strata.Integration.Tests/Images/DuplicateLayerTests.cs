using System.Text.Json;
using Strata.Engine;
using Strata.Integration.Tests.Support;
using Strata.Oci;

namespace Strata.Integration.Tests.Images;

/// <summary>
/// An image that lists the same layer twice (two steps that wrote the same files with the same metadata: the same
/// file copied twice, or a WORKDIR and a RUN that only touched it within one second) goes through every path:
/// build, history, analyze, commit, save/load, push/pull with Strata's registry, system check and rmi.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DuplicateLayerTests : IDisposable
{
    private readonly StrataBinary _strata = new();
    private readonly StrataBinary _loader = new();
    private readonly StrataBinary _puller = new();
    private readonly string _tmp = Directory.CreateTempSubdirectory("strata-dup-layer-it-").FullName;

    public void Dispose()
    {
        _strata.Dispose();
        _loader.Dispose();
        _puller.Dispose();
        Directory.Delete(_tmp, recursive: true);
    }

    private static async Task<ImageManifest> ManifestAsync(StrataBinary strata, string name)
    {
        var engine = await StrataEngine.OpenAsync(new EngineOptions { Root = strata.Root });
        var image = await engine.Images.ResolveAsync(name);
        return (await engine.Images.ReadAsync(image)).Manifest;
    }

    private static async Task CheckAsync(StrataBinary strata)
    {
        var check = await strata.RunAsync("system", "check");
        Assert.True(check.ExitCode == 0 && !check.Stdout.Contains("missing", StringComparison.Ordinal), $"system check: {check.Stdout}{check.Stderr}");
    }

    private async Task<ProcessResult> BuildAsync(string tag, string dockerfile, params (string Name, string Content)[] files)
    {
        var ctx = Path.Combine(_tmp, "ctx-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(ctx);
        await File.WriteAllTextAsync(Path.Combine(ctx, "Dockerfile"), dockerfile);
        foreach (var (name, content) in files)
        {
            await File.WriteAllTextAsync(Path.Combine(ctx, name), content);
        }

        return await _strata.RunAsync(["build", "-t", tag, ctx], null, null, TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task Image_with_the_same_layer_twice_works_everywhere()
    {
        await TestImages.ImportBusyboxAsync(_strata, "busybox:latest");
        var baseLayers = (await ManifestAsync(_strata, "busybox:latest")).Layers.Count;

        // The same file copied twice: two identical layers (the same content, the same kept mtime).
        var build = await BuildAsync("dup:1", "FROM busybox\nCOPY a.txt /a.txt\nCOPY a.txt /a.txt\nCMD [\"cat\", \"/a.txt\"]\n", ("a.txt", "same\n"));
        Assert.True(build.ExitCode == 0, build.Stdout + build.Stderr);
        var manifest = await ManifestAsync(_strata, "dup:1");
        Assert.Equal(baseLayers + 2, manifest.Layers.Count);
        Assert.Equal(manifest.Layers[^1].Digest, manifest.Layers[^2].Digest);

        // The build: a RUN that leaves /home as WORKDIR made it (the same layer when within one second).
        var workdir = await BuildAsync("dup:workdir", "FROM busybox\nWORKDIR /home\nRUN dd if=/dev/zero of=50M.file bs=1M count=50 && rm -rf 50M.file\n");
        Assert.True(workdir.ExitCode == 0, workdir.Stdout + workdir.Stderr);

        // History keeps one row per step, both COPY rows with the layer's size; analyze one row per layer.
        var history = await _strata.OkAsync("history", "--no-trunc", "--format", "{{.CreatedBy}}|{{.Size}}", "dup:1");
        var copies = history.Split('\n').Where(l => l.Contains("COPY", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, copies.Count);
        Assert.Equal(copies[0].Split('|')[1], copies[1].Split('|')[1]);
        Assert.NotEqual("0B", copies[0].Split('|')[1]);
        using (var analysis = JsonDocument.Parse(await _strata.OkAsync("image", "analyze", "--format", "json", "dup:1")))
        {
            var layers = analysis.RootElement.GetProperty("Layers");
            Assert.Equal(manifest.Layers.Count, layers.GetArrayLength());
            Assert.Equal(1, layers[layers.GetArrayLength() - 2].GetProperty("Added").GetInt32());
            Assert.Equal(1, layers[layers.GetArrayLength() - 1].GetProperty("Changed").GetInt32());
        }

        Assert.Equal("same\n", await _strata.OkAsync("run", "--rm", "dup:1"));

        // Commit on top of it, then save / load into another store: the same image comes back and runs.
        await _strata.OkAsync("create", "--name", "c1", "dup:1", "true");
        await _strata.OkAsync("commit", "c1", "dup:2");
        await _strata.OkAsync("rm", "c1");
        await CheckAsync(_strata);
        var archive = Path.Combine(_tmp, "dup.tar");
        await _strata.OkAsync("save", "-o", archive, "dup:2");
        await _loader.OkAsync("load", "-i", archive);
        Assert.Equal(await TestImages.ImageIdAsync(_strata, "dup:2"), await TestImages.ImageIdAsync(_loader, "dup:2"));
        Assert.Equal("same\n", await _loader.OkAsync("run", "--rm", "dup:2", "cat", "/a.txt"));
        await CheckAsync(_loader);

        // push / pull through Strata's registry.
        string remote;
        await using (var registry = await StrataRegistry.StartAsync(_strata, Path.Combine(_tmp, "registry")))
        {
            remote = $"{registry.Host}/team/dup:2";
            await _strata.OkAsync("tag", "dup:2", remote);
            await _strata.OkAsync("push", remote);
            await _puller.OkAsync("pull", remote);
            Assert.Equal(await TestImages.ImageIdAsync(_strata, "dup:2"), await TestImages.ImageIdAsync(_puller, remote));
            Assert.Equal("same\n", await _puller.OkAsync("run", "--rm", remote, "cat", "/a.txt"));
            await CheckAsync(_puller);
            await _puller.OkAsync("rmi", remote);
            await CheckAsync(_puller);
            Assert.Empty((await _puller.OkAsync("images", "-q")).Trim());
        }

        // rmi: the shared layer goes with the last image that lists it, and the store stays consistent.
        await _strata.OkAsync("rmi", "dup:2", remote);
        await CheckAsync(_strata);
        await _strata.OkAsync("rmi", "dup:1");
        await CheckAsync(_strata);
        await _loader.OkAsync("rmi", "dup:2");
        await CheckAsync(_loader);
    }
}
