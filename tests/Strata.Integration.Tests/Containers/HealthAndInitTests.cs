using System.Diagnostics;
using System.Text.Json;

namespace Strata.Integration.Tests.Containers;

/// <summary>Health checks run by the container's monitor, <c>--init</c>, <c>--stop-timeout</c>, <c>--ulimit</c>, <c>--shm-size</c>, <c>--sysctl</c> (root, crun/runc).</summary>
[Trait("Category", "Integration")]
public sealed class HealthAndInitTests
{
    [Fact]
    public async Task Health_cmd_goes_starting_healthy_unhealthy_and_shows_in_ps_and_inspect()
    {
        using var host = await ContainerHost.CreateAsync();
        await host.OkAsync("run", "-d", "--name", "web", "--health-cmd", "test -f /tmp/ok && echo fine", "--health-interval", "300ms",
            "--health-retries", "2", "--health-start-period", "60s", "busybox", "sh", "-c", "sleep 6; touch /tmp/ok; exec sleep 300");

        // Failures within the start period of a container never healthy yet do not count: it stays starting.
        Assert.Equal("starting\n", await host.OkAsync("inspect", "-f", "{{.State.Health.Status}}", "web"));
        Assert.Contains("(health: starting)", await host.OkAsync("ps"), StringComparison.Ordinal);

        Assert.True(await ContainerHost.EventuallyAsync(async () => await host.OkAsync("inspect", "-f", "{{.State.Health.Status}}", "web") == "healthy\n"));
        Assert.Matches(@"Up \S+ \S+ \(healthy\)", await host.OkAsync("ps"));
        using (var doc = JsonDocument.Parse(await host.OkAsync("inspect", "web")))
        {
            var health = doc.RootElement[0].GetProperty("State").GetProperty("Health");
            Assert.Equal(0, health.GetProperty("FailingStreak").GetInt32());
            var last = health.GetProperty("Log").EnumerateArray().Last();
            Assert.Equal(0, last.GetProperty("ExitCode").GetInt32());
            Assert.Equal("fine\n", last.GetProperty("Output").GetString());
            Assert.True(health.GetProperty("Log").GetArrayLength() <= 5);
            var cfg = doc.RootElement[0].GetProperty("Config").GetProperty("Healthcheck");
            Assert.Equal("CMD-SHELL", cfg.GetProperty("Test")[0].GetString());
            Assert.Equal(300_000_000, cfg.GetProperty("Interval").GetInt64());
        }

        await host.OkAsync("exec", "web", "rm", "/tmp/ok");
        Assert.True(await ContainerHost.EventuallyAsync(async () => await host.OkAsync("inspect", "-f", "{{.State.Health.Status}}", "web") == "unhealthy\n"));
        Assert.Contains("(unhealthy)", await host.OkAsync("ps"), StringComparison.Ordinal);
        using (var doc = JsonDocument.Parse(await host.OkAsync("inspect", "web")))
        {
            var health = doc.RootElement[0].GetProperty("State").GetProperty("Health");
            Assert.True(health.GetProperty("FailingStreak").GetInt32() >= 2);
            Assert.Equal(1, health.GetProperty("Log").EnumerateArray().Last().GetProperty("ExitCode").GetInt32());
        }
    }

    [Fact]
    public async Task Image_healthcheck_runs_and_no_healthcheck_disables_it_and_a_slow_probe_times_out()
    {
        using var host = await ContainerHost.CreateAsync();
        var dir = Directory.CreateTempSubdirectory("strata-health-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "Dockerfile"),
                "FROM busybox\nHEALTHCHECK --interval=300ms --retries=1 CMD [\"sh\", \"-c\", \"exit 0\"]\n");
            await host.OkAsync("build", "-q", "-t", "checked", dir.FullName);
        }
        finally
        {
            dir.Delete(recursive: true);
        }

        await host.OkAsync("run", "-d", "--name", "img", "checked", "sleep", "300");
        Assert.True(await ContainerHost.EventuallyAsync(async () => await host.OkAsync("inspect", "-f", "{{.State.Health.Status}}", "img") == "healthy\n"));

        await host.OkAsync("run", "-d", "--name", "off", "--no-healthcheck", "checked", "sleep", "300");
        await Task.Delay(1000);
        using (var doc = JsonDocument.Parse(await host.OkAsync("inspect", "off")))
        {
            Assert.Equal(JsonValueKind.Null, doc.RootElement[0].GetProperty("State").GetProperty("Health").ValueKind);
        }

        var offRow = (await host.OkAsync("ps", "--format", "{{.Names}} {{.Status}}")).Split('\n').Single(l => l.StartsWith("off ", StringComparison.Ordinal));
        Assert.DoesNotContain("health", offRow, StringComparison.Ordinal);

        // The image's command with the user's timing: a probe slower than its timeout fails with docker's message.
        await host.OkAsync("run", "-d", "--name", "slow", "--health-cmd", "sleep 5", "--health-timeout", "300ms", "--health-interval", "300ms",
            "--health-retries", "1", "checked", "sleep", "300");
        Assert.True(await ContainerHost.EventuallyAsync(async () => await host.OkAsync("inspect", "-f", "{{.State.Health.Status}}", "slow") == "unhealthy\n"));
        using (var doc = JsonDocument.Parse(await host.OkAsync("inspect", "slow")))
        {
            var last = doc.RootElement[0].GetProperty("State").GetProperty("Health").GetProperty("Log").EnumerateArray().Last();
            Assert.Equal(-1, last.GetProperty("ExitCode").GetInt32());
            Assert.StartsWith("Health check exceeded timeout", last.GetProperty("Output").GetString(), StringComparison.Ordinal);
        }

        // Timed-out probes are killed inside the container, not left behind: probing goes on every 300 ms (as docker's
        // does after unhealthy), so at most the current probe may be alive, never the ones before it.
        await Task.Delay(1500);
        var probes = (await host.OkAsync("exec", "slow", "ps", "-o", "args")).Split('\n').Count(l => l.Trim() == "sleep 5");
        Assert.True(probes <= 1, $"{probes} timed-out probes are still running");

        var conflict = await host.RunAsync("run", "--rm", "--no-healthcheck", "--health-cmd", "true", "busybox", "true");
        Assert.Equal(125, conflict.ExitCode);
        Assert.Contains("--no-healthcheck conflicts with --health-* options", conflict.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_is_pid_1_reaps_orphans_and_forwards_the_stop_signal()
    {
        using var host = await ContainerHost.CreateAsync();
        var cmdline = await host.OkAsync("run", "--rm", "--init", "busybox", "sh", "-c", "tr '\\0' ' ' < /proc/1/cmdline");
        Assert.Equal("/sbin/docker-init -- sh -c tr '\\0' ' ' < /proc/1/cmdline ", cmdline);

        // An orphan that exits is reparented to PID 1; tini reaps it, so no zombie remains.
        var ps = await host.OkAsync("run", "--rm", "--init", "busybox", "sh", "-c", "sh -c 'sleep 0.2 & exit 0'; sleep 1; ps -o stat,args");
        Assert.DoesNotContain("Z ", ps, StringComparison.Ordinal);

        // sleep as PID 1 ignores SIGTERM, so stop waits the whole --stop-timeout; under the init it gets the signal.
        await host.OkAsync("run", "-d", "--name", "bare", "--stop-timeout", "10", "busybox", "sleep", "300");
        await host.OkAsync("run", "-d", "--name", "inited", "--init", "--stop-timeout", "10", "busybox", "sleep", "300");
        Assert.Equal("10\n", await host.OkAsync("inspect", "-f", "{{.Config.StopTimeout}}", "bare"));
        var sw = Stopwatch.StartNew();
        await host.OkAsync("stop", "inited");
        var inited = sw.Elapsed;
        sw.Restart();
        await host.OkAsync("stop", "bare");
        var bare = sw.Elapsed;
        Assert.True(inited < TimeSpan.FromSeconds(7), $"stop under --init took {inited}");
        Assert.True(bare >= TimeSpan.FromSeconds(9.9), $"stop without init took {bare}");
        Assert.Equal("143\n", await host.OkAsync("inspect", "-f", "{{.State.ExitCode}}", "inited"));
        Assert.Equal("137\n", await host.OkAsync("inspect", "-f", "{{.State.ExitCode}}", "bare"));
    }

    [Fact]
    public async Task Ulimit_shm_size_and_sysctl_reach_the_container()
    {
        using var host = await ContainerHost.CreateAsync();
        Assert.Equal("512\n1024\n", await host.OkAsync("run", "--rm", "--ulimit", "nofile=512:1024", "busybox", "sh", "-c", "ulimit -n; ulimit -Hn"));
        Assert.Matches(@"\s131072\s", await host.OkAsync("run", "--rm", "--shm-size", "128m", "busybox", "df", "-k", "/dev/shm"));
        Assert.Matches(@"\s65536\s", await host.OkAsync("run", "--rm", "busybox", "df", "-k", "/dev/shm"));
        Assert.Equal("1\n4096\n", await host.OkAsync("run", "--rm", "--sysctl", "net.ipv4.ip_forward=1", "--sysctl", "kernel.shmmni=4096", "busybox", "sh", "-c",
            "cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmni"));

        // Bad rows: an unknown limit, soft above hard, a host-wide sysctl, a net sysctl on the host's network.
        foreach (var bad in new[]
        {
            new[] { "--ulimit", "bogus=1" },
            ["--ulimit", "nofile=2048:1024"],
            ["--sysctl", "kernel.hostname=x"],
            ["--network", "host", "--sysctl", "net.ipv4.ip_forward=1"],
        })
        {
            var r = await host.RunAsync(["run", "--rm", .. bad, "busybox", "true"]);
            Assert.Equal(125, r.ExitCode);
            Assert.StartsWith("Error: ", r.Stderr, StringComparison.Ordinal);
            Assert.Single(r.Stderr.Trim().Split('\n'));
        }
    }
}
