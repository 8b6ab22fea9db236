using System.Text.Json;
using Strata.Integration.Tests.Support;

namespace Strata.Integration.Tests.Containers;

/// <summary>The seeds' core loop with the real binary, overlayfs and crun: run, change the container layer, commit, run the new image.</summary>
[Trait("Category", "Integration")]
public sealed class RunCommitTests
{
    [Fact]
    public async Task Run_diff_commit_then_the_new_image_has_the_change_and_the_whiteout()
    {
        using var host = await ContainerHost.CreateAsync();
        var run = await host.RunAsync("run", "--name", "c1", "busybox", "sh", "-c", "echo hello > /greeting && rm /bin/vi && mkdir -p /etc/app && echo x > /etc/app/conf && cat /greeting");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("hello\n", run.Stdout);

        var diff = (await host.OkAsync("diff", "c1")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["C /bin", "D /bin/vi", "C /etc", "A /etc/app", "A /etc/app/conf", "A /greeting"], diff);

        var id = (await host.OkAsync("commit", "-m", "add greeting", "-a", "Ann <ann@example.com>", "-c", "ENV STAGE=committed", "c1", "hello:v1")).Trim();
        Assert.Matches("^sha256:[0-9a-f]{64}$", id);
        var history = await host.OkAsync("history", "--no-trunc", "hello:v1");
        Assert.Contains("add greeting", history, StringComparison.Ordinal);
        var inspect = JsonDocument.Parse(await host.OkAsync("image", "inspect", "hello:v1")).RootElement[0];
        Assert.Equal("Ann <ann@example.com>", inspect.GetProperty("Author").GetString());
        Assert.Equal(2, inspect.GetProperty("RootFS").GetProperty("Layers").GetArrayLength());
        Assert.Contains(inspect.GetProperty("Config").GetProperty("Env").EnumerateArray(), e => e.GetString() == "STAGE=committed");

        var again = await host.RunAsync("run", "--rm", "hello:v1", "sh", "-c", "cat /greeting /etc/app/conf; test -e /bin/vi || echo vi-gone; echo $STAGE");
        Assert.Equal(0, again.ExitCode);
        Assert.Equal("hello\nx\nvi-gone\ncommitted\n", again.Stdout);
        Assert.Contains("No problems found", await host.OkAsync("system", "check"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commit_of_a_running_container_pauses_it_and_it_keeps_running()
    {
        using var host = await ContainerHost.CreateAsync();
        await host.OkAsync("run", "-d", "--name", "live", "busybox", "sh", "-c", "echo data > /state; while true; do sleep 0.1; done");
        Assert.True(await ContainerHost.EventuallyAsync(async () => (await host.RunAsync("exec", "live", "cat", "/state")).Stdout == "data\n"));
        await host.OkAsync("commit", "live", "snap:1");
        Assert.Equal("running\n", await host.OkAsync("inspect", "-f", "{{.State.Status}}", "live"));
        Assert.Equal("data\n", await host.OkAsync("run", "--rm", "snap:1", "cat", "/state"));
    }

    [Fact]
    public async Task Committed_image_runs_in_podman_with_the_whiteout_applied()
    {
        using var host = await ContainerHost.CreateAsync();
        await host.OkAsync("run", "--name", "c", "busybox", "sh", "-c", "echo from-strata > /marker && rm /bin/vi");
        await host.OkAsync("commit", "c", "localhost/peer/check:1");
        var archive = Path.Combine(host.Strata.Root, "check.tar");
        await host.OkAsync("save", "-o", archive, "localhost/peer/check:1");
        using var podman = new Images.IsolatedPodman();
        await podman.OkAsync("load", "-i", archive);
        var r = await podman.RunContainerAsync("localhost/peer/check:1", "sh", "-c", "cat /marker; test -e /bin/vi || echo vi-gone");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("from-strata\nvi-gone\n", r.Stdout);
    }

    [Fact]
    public async Task Runc_runs_containers_as_the_alternative_runtime()
    {
        using var host = await ContainerHost.CreateAsync();
        var r = await host.RunAsync("--runtime", "runc", "run", "--name", "r", "busybox", "sh", "-c", "echo via-runc; exit 4");
        Assert.Equal(4, r.ExitCode);
        Assert.Equal("via-runc\n", r.Stdout);
        Assert.Equal("runc\n", await host.OkAsync("inspect", "-f", "{{.HostConfig.Runtime}}", "r"));
    }

    [Fact]
    public async Task Cp_both_ways_and_export_see_the_container_filesystem()
    {
        using var host = await ContainerHost.CreateAsync();
        await host.OkAsync("create", "--name", "files", "busybox", "true");
        var local = Path.Combine(host.Strata.Root, "in.txt");
        await File.WriteAllTextAsync(local, "copied in\n");
        await host.OkAsync("cp", local, "files:/root/");
        var outDir = Directory.CreateTempSubdirectory("strata-cp-").FullName;
        await host.OkAsync("cp", "files:/root/in.txt", outDir);
        Assert.Equal("copied in\n", await File.ReadAllTextAsync(Path.Combine(outDir, "in.txt")));
        Assert.Contains("A /root/in.txt", await host.OkAsync("diff", "files"), StringComparison.Ordinal);
        var tar = Path.Combine(outDir, "fs.tar");
        await host.OkAsync("export", "-o", tar, "files");
        var list = (await Proc.RunAsync("tar", ["-tf", tar])).Stdout;
        Assert.Contains("root/in.txt\n", list, StringComparison.Ordinal);
        Assert.Contains("bin/busybox\n", list, StringComparison.Ordinal);
        Directory.Delete(outDir, recursive: true);
    }
}
