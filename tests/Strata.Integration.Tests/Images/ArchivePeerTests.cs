using System.Text.Json;
using Strata.Integration.Tests.Support;

namespace Strata.Integration.Tests.Images;

/// <summary>save/load round trips with real peers: skopeo, umoci, podman.</summary>
public sealed class ArchivePeerTests : IDisposable
{
    private readonly StrataBinary _strata = new();
    private readonly IsolatedPodman _podman = new();
    private readonly string _tmp = Directory.CreateTempSubdirectory("strata-peer-it-").FullName;

    public void Dispose()
    {
        _strata.Dispose();
        _podman.Dispose();
        Directory.Delete(_tmp, recursive: true);
    }

    private async Task<string> ImportAsync(StrataBinary strata)
    {
        var tar = await Fixtures.BusyboxRootfsTarAsync();
        return (await strata.OkAsync("import", tar, "peer/busybox:1", "-c", "CMD [\"sh\"]", "-c", "ENV A=b")).Trim();
    }

    /// <summary>Relative paths of the busybox fixture, as <c>tar</c> lists them.</summary>
    private static async Task<SortedSet<string>> FixturePathsAsync()
    {
        var list = (await Proc.RunAsync("tar", ["-tf", await Fixtures.BusyboxRootfsTarAsync()])).EnsureSuccess("tar -tf").Stdout;
        return new SortedSet<string>(list.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(p => p.TrimStart('.', '/').TrimEnd('/')).Where(p => p.Length > 0), StringComparer.Ordinal);
    }

    private static SortedSet<string> TreePaths(string root) =>
        new(Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(p => Path.GetRelativePath(root, p)), StringComparer.Ordinal);

    private async Task<SortedSet<string>> UnpackedPathsAsync(StrataBinary strata, string image)
    {
        var upper = (await strata.OkAsync("inspect", "-f", "{{.GraphDriver.Data.UpperDir}}", image)).Trim();
        return TreePaths(upper);
    }

    [Fact]
    public async Task Saved_archives_are_read_by_skopeo_and_umoci()
    {
        var id = await ImportAsync(_strata);
        var docker = Path.Combine(_tmp, "d.tar");
        var oci = Path.Combine(_tmp, "o.tar");
        await _strata.OkAsync("save", "-o", docker, "peer/busybox:1");
        await _strata.OkAsync("save", "--format", "oci-archive", "-o", oci, "peer/busybox:1");

        var diffId = (await _strata.OkAsync("inspect", "-f", "{{index .RootFS.Layers 0}}", "peer/busybox:1")).Trim();
        var d = JsonDocument.Parse((await Proc.RunAsync("skopeo", ["inspect", "docker-archive:" + docker])).EnsureSuccess("skopeo inspect docker-archive").Stdout).RootElement;
        Assert.Equal(diffId, d.GetProperty("Layers")[0].GetString());
        Assert.Contains("A=b", d.GetProperty("Env").EnumerateArray().Select(e => e.GetString()));
        var config = JsonDocument.Parse((await Proc.RunAsync("skopeo", ["inspect", "--config", "docker-archive:" + docker])).EnsureSuccess("skopeo inspect --config").Stdout).RootElement;
        Assert.Equal("sh", config.GetProperty("config").GetProperty("Cmd")[0].GetString());

        var o = JsonDocument.Parse((await Proc.RunAsync("skopeo", ["inspect", "oci-archive:" + oci])).EnsureSuccess("skopeo inspect oci-archive").Stdout).RootElement;
        Assert.Equal("linux", o.GetProperty("Os").GetString());
        Assert.Single(o.GetProperty("Layers").EnumerateArray());
        var ociConfig = JsonDocument.Parse((await Proc.RunAsync("skopeo", ["inspect", "--raw", "--config", "oci-archive:" + oci])).EnsureSuccess("skopeo inspect --raw --config").Stdout).RootElement;
        Assert.Equal(diffId, ociConfig.GetProperty("rootfs").GetProperty("diff_ids")[0].GetString());

        // umoci unpacks the OCI layout inside the archive, by the tag in its index.
        var layout = Path.Combine(_tmp, "layout");
        Directory.CreateDirectory(layout);
        (await Proc.RunAsync("tar", ["-C", layout, "-xf", oci])).EnsureSuccess("tar -x");
        var bundle = Path.Combine(_tmp, "bundle");
        (await Proc.RunAsync("umoci", ["unpack", "--image", layout + ":1", bundle])).EnsureSuccess("umoci unpack");
        Assert.Equal(await FixturePathsAsync(), TreePaths(Path.Combine(bundle, "rootfs")));
        // skopeo sees the same image ID (config digest) strata has.
        var raw = JsonDocument.Parse((await Proc.RunAsync("skopeo", ["inspect", "--raw", "docker-archive:" + docker])).EnsureSuccess("skopeo inspect --raw").Stdout).RootElement;
        Assert.Equal(id, raw.GetProperty("config").GetProperty("digest").GetString());
    }

    [Fact]
    public async Task Podman_loads_and_runs_a_strata_docker_archive_and_strata_loads_podman_saves()
    {
        var id = await ImportAsync(_strata);
        var docker = Path.Combine(_tmp, "d.tar");
        await _strata.OkAsync("save", "-o", docker, "peer/busybox:1");
        var loaded = await _podman.OkAsync("load", "-i", docker);
        Assert.Contains("peer/busybox:1", loaded, StringComparison.Ordinal);
        var run = await _podman.RunContainerAsync("docker.io/peer/busybox:1", "sh", "-c", "echo ran $A");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("ran b\n", run.Stdout);

        foreach (var format in new[] { "docker-archive", "oci-archive" })
        {
            var file = Path.Combine(_tmp, $"podman-{format}.tar");
            await _podman.OkAsync("save", "--format", format, "-o", file, "docker.io/peer/busybox:1");
            using var fresh = new StrataBinary();
            var output = await fresh.OkAsync("load", "-i", file);
            Assert.Contains("Loaded image: peer/busybox:1", output, StringComparison.Ordinal);
            // The layers unpack to the same tree as the original root filesystem.
            Assert.Equal(await FixturePathsAsync(), await UnpackedPathsAsync(fresh, "peer/busybox:1"));
            if (format == "docker-archive")
            {
                // podman keeps the config as is in a docker-archive: the image ID survives the trip.
                Assert.Equal(id, (await fresh.OkAsync("inspect", "-f", "{{.Id}}", "peer/busybox:1")).Trim());
            }

            Assert.Equal(0, (await fresh.RunAsync("system", "check")).ExitCode);
        }
    }

    [Fact]
    public async Task Skopeo_copy_to_oci_archive_loads_back()
    {
        await ImportAsync(_strata);
        var docker = Path.Combine(_tmp, "d.tar");
        var oci = Path.Combine(_tmp, "skopeo-oci.tar");
        await _strata.OkAsync("save", "-o", docker, "peer/busybox:1");
        (await Proc.RunAsync("skopeo", ["copy", "docker-archive:" + docker, "oci-archive:" + oci + ":peer/busybox:2"])).EnsureSuccess("skopeo copy");
        using var fresh = new StrataBinary();
        var output = await fresh.OkAsync("load", "-i", oci);
        Assert.Contains("Loaded image: peer/busybox:2", output, StringComparison.Ordinal);
        Assert.Equal(await FixturePathsAsync(), await UnpackedPathsAsync(fresh, "peer/busybox:2"));

        // And from stdin, gzip-compressed.
        using var third = new StrataBinary();
        var gz = oci + ".gz";
        (await Proc.RunAsync("sh", ["-c", $"gzip -c '{oci}' > '{gz}'"])).EnsureSuccess("gzip");
        var piped = await Proc.RunAsync("sh", ["-c", $"'{StrataBinary.Path}' --root '{third.Root}' load < '{gz}'"]);
        Assert.True(piped.ExitCode == 0, piped.Stderr);
        Assert.Contains("Loaded image: peer/busybox:2", piped.Stdout, StringComparison.Ordinal);
    }
}
