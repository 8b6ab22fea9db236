using System.Security.Cryptography;
using System.Text.Json;
using Strata.Integration.Tests.Support;

namespace Strata.Integration.Tests.Images;

/// <summary>The image commands end to end with the real binary: import, images, tag, rmi, history, inspect, analyze, df, check.</summary>
public sealed class ImageCommandsTests : IDisposable
{
    private readonly StrataBinary _strata = new();
    private readonly string _tmp = Directory.CreateTempSubdirectory("strata-img-it-").FullName;

    public void Dispose()
    {
        _strata.Dispose();
        Directory.Delete(_tmp, recursive: true);
    }

    private async Task<string> ImportBusyboxAsync(string name = "busybox:1")
    {
        var tar = await Fixtures.BusyboxRootfsTarAsync();
        var id = (await _strata.OkAsync("import", tar, name, "-c", "CMD [\"sh\"]", "-c", "ENV A=b", "-m", "base image")).Trim();
        Assert.Matches("^sha256:[0-9a-f]{64}$", id);
        return id;
    }

    [Fact]
    public async Task Import_then_images_tag_history_inspect_have_dockers_shapes()
    {
        var id = await ImportBusyboxAsync();
        var images = (await _strata.OkAsync("images")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE$", images[0]);
        Assert.Matches($@"^busybox\s+1\s+{id[7..19]}\s+.+ago\s+\d(\.\d+)?MB$", images[1]);

        await _strata.OkAsync("tag", "busybox:1", "localhost:5000/team/box:v2");
        Assert.Equal([id[7..19]], (await _strata.OkAsync("images", "-q")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Distinct());
        var filtered = await _strata.OkAsync("images", "localhost:5000/team/box");
        Assert.Contains("localhost:5000/team/box   v2", filtered, StringComparison.Ordinal);
        Assert.DoesNotContain("busybox", filtered, StringComparison.Ordinal);
        var json = (await _strata.OkAsync("images", "--format", "json")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, json.Count);
        Assert.All(json, j => Assert.Equal(id[7..19], j.GetProperty("ID").GetString()));
        Assert.Contains(json, j => j.GetProperty("Repository").GetString() == "busybox" && j.GetProperty("Tag").GetString() == "1");
        Assert.Contains("<none>", await _strata.OkAsync("images", "--digests"), StringComparison.Ordinal);
        Assert.Equal("busybox:1\n", await _strata.OkAsync("images", "--format", "{{.Repository}}:{{.Tag}}", "busybox"));

        var history = (await _strata.OkAsync("history", "busybox:1")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^IMAGE\s+CREATED\s+CREATED BY\s+SIZE\s+COMMENT$", history[0]);
        Assert.StartsWith(id[7..19], history[1], StringComparison.Ordinal);
        Assert.EndsWith("base image", history[1], StringComparison.Ordinal);
        Assert.Equal(id + "\n", await _strata.OkAsync("history", "--no-trunc", "-q", "busybox:1"));

        var inspect = JsonDocument.Parse(await _strata.OkAsync("inspect", "busybox:1")).RootElement;
        Assert.Equal(JsonValueKind.Array, inspect.ValueKind);
        var doc = inspect[0];
        Assert.Equal(id, doc.GetProperty("Id").GetString());
        Assert.Equal(["busybox:1", "localhost:5000/team/box:v2"], doc.GetProperty("RepoTags").EnumerateArray().Select(e => e.GetString()).Order());
        Assert.Equal("sh", doc.GetProperty("Config").GetProperty("Cmd")[0].GetString());
        Assert.Equal("A=b", doc.GetProperty("Config").GetProperty("Env")[0].GetString());
        Assert.Equal("linux", doc.GetProperty("Os").GetString());
        Assert.Equal("layers", doc.GetProperty("RootFS").GetProperty("Type").GetString());
        Assert.Equal(1, doc.GetProperty("RootFS").GetProperty("Layers").GetArrayLength());
        Assert.True(doc.GetProperty("Size").GetInt64() > 1_000_000);
        foreach (var field in new[] { "RepoDigests", "Created", "Author", "Architecture", "Metadata", "Comment" })
        {
            Assert.True(doc.TryGetProperty(field, out _), field);
        }

        Assert.Equal($"{id} [sh]\n", await _strata.OkAsync("inspect", "--format", "{{.Id}} {{.Config.Cmd}}", id[7..15]));
        Assert.Equal("[\"A=b\"]\n", await _strata.OkAsync("image", "inspect", "-f", "{{json .Config.Env}}", "sha256:" + id[7..13]));
        // The layer was unpacked on import: the upper dir has busybox.
        var upper = (await _strata.OkAsync("inspect", "-f", "{{.GraphDriver.Data.UpperDir}}", "busybox:1")).Trim();
        Assert.True(File.Exists(Path.Combine(upper, "bin", "busybox")));
    }

    [Fact]
    public async Task Rmi_untags_then_deletes_and_reports_like_docker()
    {
        var id = await ImportBusyboxAsync();
        await _strata.OkAsync("tag", "busybox:1", "other:2");
        var byId = await _strata.RunAsync("rmi", id[7..19]);
        Assert.NotEqual(0, byId.ExitCode);
        Assert.Contains("image is referenced in multiple repositories", byId.Stderr, StringComparison.Ordinal);

        Assert.Equal("Untagged: other:2\n", await _strata.OkAsync("rmi", "other:2"));
        Assert.Equal($"Untagged: busybox:1\nDeleted: {id}\n", await _strata.OkAsync("image", "rm", "busybox:1"));
        Assert.Equal(string.Empty, await _strata.OkAsync("images", "-q"));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_strata.Root, "content", "blobs", "sha256")));
        Assert.DoesNotContain(Directory.EnumerateDirectories(Path.Combine(_strata.Root, "snapshots")), d => !Path.GetFileName(d).StartsWith('.'));

        var missing = await _strata.RunAsync("rmi", "busybox:1");
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("Error: No such image: busybox:1", missing.Stderr.Trim());
    }

    [Fact]
    public async Task Two_images_on_one_base_share_its_layer_and_analyze_finds_waste()
    {
        var big = RandomNumberGenerator.GetBytes(5 * 1024 * 1024);
        var base1 = ImageArchiveBuilder.Layer(("data", null), ("data/big", big), ("data/keep", new byte[10]));
        var archive1 = Path.Combine(_tmp, "a.tar");
        var archive2 = Path.Combine(_tmp, "b.tar");
        ImageArchiveBuilder.Write(archive1, "waste:1", (base1, "ADD big"), (ImageArchiveBuilder.Layer(("data/.wh.big", [])), "RUN rm /data/big"));
        ImageArchiveBuilder.Write(archive2, "other:1", (base1, "ADD big"), (ImageArchiveBuilder.Layer(("x", new byte[5])), "ADD x"));
        Assert.Equal("Loaded image: waste:1\n", await _strata.OkAsync("load", "-i", archive1));
        Assert.Equal("Loaded image: other:1\n", await _strata.OkAsync("load", "-i", archive2));

        var analysis = JsonDocument.Parse(await _strata.OkAsync("image", "analyze", "waste:1", "--format", "json")).RootElement;
        Assert.True(analysis.GetProperty("WastedBytes").GetInt64() >= 5 * 1024 * 1024);
        Assert.Equal("/data/big", analysis.GetProperty("TopWastedFiles")[0].GetProperty("Path").GetString());
        Assert.Equal(1, analysis.GetProperty("Layers")[1].GetProperty("Removed").GetInt32());
        var text = await _strata.OkAsync("image", "analyze", "waste:1");
        Assert.Contains("Efficiency:", text, StringComparison.Ordinal);

        var df = JsonDocument.Parse(await _strata.OkAsync("system", "df", "--format", "json")).RootElement;
        Assert.Equal(2, df.GetProperty("TotalCount").GetInt32());
        Assert.Equal(1, df.GetProperty("SharedLayers").GetInt32());
        Assert.Equal(3, df.GetProperty("Layers").GetInt32());
        Assert.True(df.GetProperty("SharedSize").GetInt64() >= big.Length);
        Assert.Contains("SHARED SIZE", await _strata.OkAsync("system", "df", "-v"), StringComparison.Ordinal);
        // The shared base chain is unpacked once.
        Assert.Equal(3, Directory.EnumerateDirectories(Path.Combine(_strata.Root, "snapshots")).Count(d => !Path.GetFileName(d).StartsWith('.')));
    }

    [Fact]
    public async Task Bad_inputs_give_one_line_a_nonzero_exit_and_no_corruption()
    {
        var tar = await File.ReadAllBytesAsync(await Fixtures.BusyboxRootfsTarAsync());
        var truncated = Path.Combine(_tmp, "truncated.tar");
        await File.WriteAllBytesAsync(truncated, tar[..(tar.Length / 2)]);
        var garbage = Path.Combine(_tmp, "garbage.tar");
        await File.WriteAllBytesAsync(garbage, RandomNumberGenerator.GetBytes(100_000));

        foreach (var args in new[]
        {
            new[] { "import", truncated, "trunc:1" }, // truncated tar
            ["import", garbage, "garbage:1"], // not a tar
            ["import", Path.Combine(_tmp, "nope.tar"), "x:1"], // no such file
            ["import", garbage, "Bad/Name"], // bad name (checked before reading)
            ["import", garbage, "x:1", "-c", "RUN true"], // bad change
            ["load", "-i", garbage], // not an archive
            ["load", "-i", truncated], // a tar without manifest.json or index.json
            ["inspect", "nosuch"],
            ["history", "nosuch"],
            ["tag", "nosuch", "x:1"],
        })
        {
            var r = await _strata.RunAsync(args);
            Assert.NotEqual(0, r.ExitCode);
            var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length == 1, $"{string.Join(' ', args)}: {r.Stderr}");
            Assert.StartsWith("Error: ", lines[0], StringComparison.Ordinal);
        }

        Assert.Equal(string.Empty, await _strata.OkAsync("images", "-q"));
        var check = await _strata.RunAsync("system", "check");
        Assert.Equal(0, check.ExitCode);
        Assert.Contains("No problems found.", check.Stdout, StringComparison.Ordinal);
        // The store still works.
        await ImportBusyboxAsync();
    }

    [Fact]
    public async Task System_check_catches_a_corrupt_blob_and_repair_reports_the_broken_image()
    {
        var id = await ImportBusyboxAsync();
        Assert.Equal(0, (await _strata.RunAsync("system", "check")).ExitCode);
        var layer = Directory.EnumerateFiles(Path.Combine(_strata.Root, "content", "blobs", "sha256")).OrderByDescending(f => new FileInfo(f).Length).First();
        await using (var f = new FileStream(layer, FileMode.Open, FileAccess.Write))
        {
            f.Position = 100;
            f.WriteByte(0x42);
            f.WriteByte(0x43);
        }

        var check = await _strata.RunAsync("system", "check");
        Assert.Equal(1, check.ExitCode);
        Assert.Contains("PROBLEM: corrupt-blob sha256:" + Path.GetFileName(layer), check.Stdout, StringComparison.Ordinal);
        var repair = await _strata.RunAsync("system", "check", "--repair");
        Assert.Contains("REPAIRED: corrupt-blob", repair.Stdout, StringComparison.Ordinal);
        Assert.Contains($"BROKEN IMAGE: {id[7..19]} (busybox:1)", repair.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(layer));
    }

    [Fact]
    public async Task Info_reports_root_driver_counts_and_runtimes()
    {
        await ImportBusyboxAsync();
        var info = JsonDocument.Parse(await _strata.OkAsync("info", "--format", "json")).RootElement;
        Assert.Equal(_strata.Root, info.GetProperty("DockerRootDir").GetString());
        Assert.Equal(1, info.GetProperty("Images").GetInt32());
        Assert.Contains(info.GetProperty("Driver").GetString(), new[] { "overlay", "vfs" });
        Assert.True(info.GetProperty("Runtimes").TryGetProperty("crun", out _));
        Assert.Contains("Storage Driver:", await _strata.OkAsync("system", "info"), StringComparison.Ordinal);
    }
}
