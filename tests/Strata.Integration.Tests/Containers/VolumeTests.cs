using System.Text.Json;

namespace Strata.Integration.Tests.Containers;

/// <summary>Named, anonymous, bind and tmpfs mounts: data outlives containers, is seeded from the image, never goes into a commit.</summary>
[Trait("Category", "Integration")]
public sealed class VolumeTests
{
    [Fact]
    public async Task Named_volume_survives_rm_is_read_only_on_request_and_refuses_removal_while_used()
    {
        using var host = await ContainerHost.CreateAsync();
        Assert.Equal("data\n", await host.OkAsync("volume", "create", "data"));
        await host.OkAsync("run", "--name", "w", "-v", "data:/data", "busybox", "sh", "-c", "echo kept > /data/file");
        await host.OkAsync("rm", "-v", "w");
        Assert.Equal("kept\n", await host.OkAsync("run", "--rm", "-v", "data:/data:ro", "busybox", "cat", "/data/file"));
        var ro = await host.RunAsync("run", "--rm", "--mount", "type=volume,source=data,target=/data,readonly", "busybox", "sh", "-c", "echo x > /data/other");
        Assert.NotEqual(0, ro.ExitCode);
        Assert.Contains("Read-only file system", ro.Stderr, StringComparison.Ordinal);

        await host.OkAsync("create", "--name", "holder", "-v", "data:/data", "busybox", "true");
        var busy = await host.RunAsync("volume", "rm", "data");
        Assert.NotEqual(0, busy.ExitCode);
        Assert.Contains("volume is in use", busy.Stderr, StringComparison.Ordinal);
        await host.OkAsync("rm", "holder");
        var inspect = JsonDocument.Parse(await host.OkAsync("volume", "inspect", "data")).RootElement[0];
        Assert.Equal("local", inspect.GetProperty("Driver").GetString());
        Assert.True(File.Exists(Path.Combine(inspect.GetProperty("Mountpoint").GetString()!, "file")));
        Assert.Equal("data\n", await host.OkAsync("volume", "rm", "data"));
        Assert.Equal(string.Empty, await host.OkAsync("volume", "ls", "-q"));
    }

    [Fact]
    public async Task New_named_volume_is_seeded_from_the_image_and_volume_data_stays_out_of_commits()
    {
        using var host = await ContainerHost.CreateAsync();
        await host.OkAsync("run", "--name", "base", "busybox", "sh", "-c", "mkdir -p /srv && echo from-image > /srv/seed");
        await host.OkAsync("commit", "-c", "VOLUME /srv", "base", "withvol:1");
        await host.OkAsync("run", "--name", "v", "-v", "seeded:/srv", "withvol:1", "sh", "-c", "cat /srv/seed; echo runtime > /srv/new; echo layer > /layer");
        Assert.Equal("from-image\n", await host.OkAsync("logs", "v"));
        await host.OkAsync("commit", "v", "after:1");
        Assert.Equal("layer\nfrom-image\nno-new\n", await host.OkAsync("run", "--rm", "--name", "check", "after:1", "sh", "-c", "cat /layer /srv/seed; test -e /srv/new || echo no-new"));
        Assert.Equal("from-image\nruntime\n", await host.OkAsync("run", "--rm", "-v", "seeded:/srv", "busybox", "sh", "-c", "cat /srv/seed /srv/new"));
    }

    [Fact]
    public async Task Anonymous_volumes_from_the_image_go_with_rm_v_and_prune()
    {
        using var host = await ContainerHost.CreateAsync();
        await host.OkAsync("run", "--name", "base", "busybox", "true");
        await host.OkAsync("commit", "-c", "VOLUME /cache", "base", "anon:1");
        await host.OkAsync("volume", "create", "named");
        await host.OkAsync("run", "--name", "a", "-v", "named:/named", "anon:1", "sh", "-c", "echo x > /cache/f");
        var volumes = (await host.OkAsync("volume", "ls", "-q")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, volumes.Length);
        Assert.Contains("named", volumes);
        await host.OkAsync("rm", "-v", "a");
        Assert.Equal("named\n", await host.OkAsync("volume", "ls", "-q"));

        await host.OkAsync("run", "--rm", "anon:1", "true");
        Assert.Equal("named\n", await host.OkAsync("volume", "ls", "-q"));
        await host.OkAsync("run", "--name", "b", "anon:1", "true");
        await host.OkAsync("rm", "b");
        Assert.Equal(2, (await host.OkAsync("volume", "ls", "-q")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        await host.OkAsync("volume", "prune", "-f");
        Assert.Equal("named\n", await host.OkAsync("volume", "ls", "-q"));
    }

    [Fact]
    public async Task Bind_mounts_and_tmpfs()
    {
        using var host = await ContainerHost.CreateAsync();
        var dir = Directory.CreateTempSubdirectory("strata-bind-").FullName;
        await File.WriteAllTextAsync(Path.Combine(dir, "in"), "host file\n");
        Assert.Equal("host file\n", await host.OkAsync("run", "--rm", "-v", $"{dir}:/mnt/host", "busybox", "sh", "-c", "cat /mnt/host/in; echo back > /mnt/host/out"));
        Assert.Equal("back\n", await File.ReadAllTextAsync(Path.Combine(dir, "out")));
        Assert.Contains("tmpfs on /scratch type tmpfs", await host.OkAsync("run", "--rm", "--tmpfs", "/scratch", "busybox", "mount"), StringComparison.Ordinal);
        var bad = await host.RunAsync("run", "--rm", "-v", "relative/path:/x", "busybox", "true");
        Assert.Equal(125, bad.ExitCode);
        Assert.StartsWith("Error: invalid mount", bad.Stderr, StringComparison.Ordinal);
        Directory.Delete(dir, recursive: true);
    }
}
