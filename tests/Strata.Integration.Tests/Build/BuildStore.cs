using Strata.Engine;
using Strata.Integration.Tests.Support;
using Strata.Oci;
using Strata.Storage.Layers;

namespace Strata.Integration.Tests.Build;

/// <summary>
/// A store with the busybox root filesystem imported as <c>busybox:latest</c>, shared by the build tests of
/// one class. Builds run through the real <c>strata</c> binary; results are read back from the store.
/// </summary>
public sealed class BuildStore : IAsyncLifetime
{
    public StrataBinary Strata { get; } = new();

    public string Work { get; } = Directory.CreateTempSubdirectory("strata-build-it-").FullName;

    public async Task InitializeAsync()
    {
        var tar = await Fixtures.BusyboxRootfsTarAsync();
        await Strata.OkAsync("import", tar, "busybox:latest");
    }

    public Task DisposeAsync()
    {
        Strata.Dispose();
        try
        {
            Directory.Delete(Work, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }

    /// <summary>Writes a context directory (Dockerfile + files) and returns its path.</summary>
    public string Context(string dockerfile, IReadOnlyDictionary<string, string>? files = null)
    {
        var dir = Path.Combine(Work, "ctx-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "Dockerfile"), dockerfile);
        foreach (var (name, content) in files ?? new Dictionary<string, string>())
        {
            var p = Path.Combine(dir, name);
            Directory.CreateDirectory(Path.GetDirectoryName(p)!);
            File.WriteAllText(p, content);
        }

        return dir;
    }

    public Task<ProcessResult> BuildAsync(string context, params string[] args) =>
        Strata.RunAsync(["build", .. args, context], stdin: null, timeout: TimeSpan.FromMinutes(5));

    public async Task<ProcessResult> BuildOkAsync(string context, params string[] args) =>
        (await BuildAsync(context, args)).EnsureSuccess("strata build " + string.Join(' ', args));

    /// <summary>The image's manifest and config as stored.</summary>
    public async Task<(ImageManifest Manifest, ImageConfig Config)> ReadAsync(string name)
    {
        var engine = await StrataEngine.OpenAsync(new EngineOptions { Root = Strata.Root });
        var image = await engine.Images.ResolveAsync(name);
        return await engine.Images.ReadAsync(image);
    }

    /// <summary>Every entry of every layer of the image, bottom layer first.</summary>
    public async Task<List<List<LayerEntry>>> LayerEntriesAsync(string name)
    {
        var engine = await StrataEngine.OpenAsync(new EngineOptions { Root = Strata.Root });
        var image = await engine.Images.ResolveAsync(name);
        var (manifest, _) = await engine.Images.ReadAsync(image);
        var result = new List<List<LayerEntry>>();
        foreach (var l in manifest.Layers)
        {
            await using var blob = await engine.Content.OpenReadAsync(l.Digest);
            var entries = new List<LayerEntry>();
            await foreach (var e in LayerReader.EnumerateAsync(blob))
            {
                entries.Add(e);
            }

            result.Add(entries);
        }

        return result;
    }

    /// <summary>The files an image's root filesystem ends up with (layers applied in order, whiteouts honoured).</summary>
    public async Task<SortedDictionary<string, LayerEntry>> FileTreeAsync(string name)
    {
        var tree = new SortedDictionary<string, LayerEntry>(StringComparer.Ordinal);
        foreach (var layer in await LayerEntriesAsync(name))
        {
            foreach (var e in layer)
            {
                var path = e.Path.TrimEnd('/');
                if (e.Whiteout == LayerWhiteout.Opaque)
                {
                    foreach (var k in tree.Keys.Where(k => k.StartsWith(path + "/", StringComparison.Ordinal)).ToList())
                    {
                        tree.Remove(k);
                    }

                    continue;
                }

                if (e.Whiteout == LayerWhiteout.File)
                {
                    foreach (var k in tree.Keys.Where(k => k == path || k.StartsWith(path + "/", StringComparison.Ordinal)).ToList())
                    {
                        tree.Remove(k);
                    }

                    continue;
                }

                tree[path] = e;
            }
        }

        return tree;
    }

    /// <summary>The content of one file of the image (from the topmost layer that has it).</summary>
    public async Task<string> CatAsync(string image, string path)
    {
        var tree = await LayerEntriesAsync(image);
        var engine = await StrataEngine.OpenAsync(new EngineOptions { Root = Strata.Root });
        var (manifest, _) = await engine.Images.ReadAsync(await engine.Images.ResolveAsync(image));
        for (var i = tree.Count - 1; i >= 0; i--)
        {
            if (tree[i].Any(e => e.Path == path))
            {
                await using var blob = await engine.Content.OpenReadAsync(manifest.Layers[i].Digest);
                var (_, tar) = await LayerStreams.OpenDecompressedAsync(blob, leaveOpen: true, CancellationToken.None);
                await using (tar)
                {
                    var reader = new System.Formats.Tar.TarReader(tar);
                    while (await reader.GetNextEntryAsync() is { } e)
                    {
                        if (e.Name.TrimStart('.', '/') == path && e.DataStream is not null)
                        {
                            using var sr = new StreamReader(e.DataStream);
                            return await sr.ReadToEndAsync();
                        }
                    }
                }
            }
        }

        throw new InvalidOperationException($"{path} not in {image}");
    }
}
