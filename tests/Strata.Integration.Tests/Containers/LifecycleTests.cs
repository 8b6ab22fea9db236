using System.Diagnostics;
using System.Text.Json;
using Strata.Integration.Tests.Support;

namespace Strata.Integration.Tests.Containers;

/// <summary>Detached containers under the monitor: logs, stop/kill, pause, wait, restart policies, rm, exit codes, exec.</summary>
[Trait("Category", "Integration")]
public sealed class LifecycleTests
{
    [Fact]
    public async Task Detached_container_logs_exec_top_pause_and_stop()
    {
        using var host = await ContainerHost.CreateAsync();
        var id = (await host.OkAsync("run", "-d", "--name", "ticker", "busybox", "sh", "-c",
            "trap 'echo got-term; exit 0' TERM; i=0; while true; do echo tick $i; echo err $i >&2; i=$((i+1)); sleep 0.1; done")).Trim();
        Assert.Matches("^[0-9a-f]{64}$", id);
        Assert.True(await ContainerHost.EventuallyAsync(async () => (await host.OkAsync("logs", "ticker")).Contains("tick 3", StringComparison.Ordinal)));
        var logs = await host.RunAsync("logs", "--tail", "4", "ticker");
        var outLines = logs.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var errLines = logs.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, outLines.Length + errLines.Length);
        Assert.All(outLines, l => Assert.StartsWith("tick ", l, StringComparison.Ordinal));
        Assert.All(errLines, l => Assert.StartsWith("err ", l, StringComparison.Ordinal));
        Assert.NotEmpty(errLines);
        var stamped = await host.RunAsync("logs", "-t", "--tail", "1", "ticker");
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z (tick|err) \d+\n$", stamped.Stdout + stamped.Stderr);

        var ps = (await host.OkAsync("ps")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES$", ps[0]);
        Assert.Matches($@"^{id[..12]}\s+busybox\s+""sh -c trap.*""\s+.+\s+Up .+\s+ticker$", ps[1]);

        var exec = await host.RunAsync("exec", "-e", "X=1", "-w", "/tmp", "ticker", "sh", "-c", "echo $X $(pwd); exit 7");
        Assert.Equal(7, exec.ExitCode);
        Assert.Equal("1 /tmp\n", exec.Stdout);
        Assert.Equal(127, (await host.RunAsync("exec", "ticker", "nosuchprogram")).ExitCode);
        Assert.Contains("sh -c trap", await host.OkAsync("top", "ticker"), StringComparison.Ordinal);

        await host.OkAsync("pause", "ticker");
        Assert.Equal("paused\n", await host.OkAsync("inspect", "-f", "{{.State.Status}}", "ticker"));
        Assert.Contains("(Paused)", await host.OkAsync("ps"), StringComparison.Ordinal);
        Assert.NotEqual(0, (await host.RunAsync("exec", "ticker", "true")).ExitCode);
        await host.OkAsync("unpause", "ticker");

        var sw = Stopwatch.StartNew();
        await host.OkAsync("stop", "ticker");
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(8), "the TERM trap should end it long before the 10 s timeout");
        Assert.Equal("exited 0\n", await host.OkAsync("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "ticker"));
        Assert.Contains("got-term", await host.OkAsync("logs", "ticker"), StringComparison.Ordinal);
        Assert.Equal("0\n", await host.OkAsync("wait", "ticker"));
        Assert.DoesNotContain("ticker", await host.OkAsync("ps"), StringComparison.Ordinal);
        Assert.Contains("ticker", await host.OkAsync("ps", "-a"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_kills_after_the_timeout_when_the_signal_is_ignored_and_start_runs_it_again()
    {
        using var host = await ContainerHost.CreateAsync();
        await host.OkAsync("run", "-d", "--name", "stubborn", "busybox", "sh", "-c", "echo started; while true; do sleep 0.1; done");
        var sw = Stopwatch.StartNew();
        await host.OkAsync("stop", "-t", "1", "stubborn");
        Assert.InRange(sw.Elapsed.TotalSeconds, 0.9, 8);
        Assert.Equal("137\n", await host.OkAsync("inspect", "-f", "{{.State.ExitCode}}", "stubborn"));
        await host.OkAsync("start", "stubborn");
        Assert.Equal("running\n", await host.OkAsync("inspect", "-f", "{{.State.Status}}", "stubborn"));
        Assert.True(await ContainerHost.EventuallyAsync(async () => (await host.OkAsync("logs", "stubborn")).Split("started").Length == 3));
        await host.OkAsync("kill", "-s", "KILL", "stubborn");
        Assert.Equal("137\n", await host.OkAsync("wait", "stubborn"));
    }

    [Fact]
    public async Task Exit_codes_pass_through_and_start_errors_are_docker_codes()
    {
        using var host = await ContainerHost.CreateAsync();
        Assert.Equal(3, (await host.RunAsync("run", "--rm", "busybox", "sh", "-c", "exit 3")).ExitCode);
        var missing = await host.RunAsync("run", "--rm", "busybox", "no-such-cmd");
        Assert.Equal(127, missing.ExitCode);
        Assert.Equal("Error: exec: \"no-such-cmd\": executable file not found in $PATH\n", missing.Stderr);
        var badImage = await host.RunAsync("run", "--pull", "never", "nosuchimage:1");
        Assert.NotEqual(0, badImage.ExitCode);
        Assert.Single(badImage.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var badFlag = await host.RunAsync("run", "--restart", "sometimes", "busybox", "true");
        Assert.Equal(125, badFlag.ExitCode);
        Assert.StartsWith("Error: invalid restart policy", badFlag.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, await host.OkAsync("ps", "-aq"));
    }

    [Fact]
    public async Task Restart_policy_on_failure_retries_then_gives_up_and_always_is_stopped_by_stop()
    {
        using var host = await ContainerHost.CreateAsync();
        await host.OkAsync("run", "-d", "--name", "flaky", "--restart", "on-failure:2", "busybox", "sh", "-c", "echo attempt; exit 1");
        Assert.True(await ContainerHost.EventuallyAsync(async () => await host.OkAsync("inspect", "-f", "{{.RestartCount}} {{.State.Status}}", "flaky") == "2 exited\n", 20));
        Assert.Equal(3, (await host.OkAsync("logs", "flaky")).Split("attempt").Length - 1);

        await host.OkAsync("run", "-d", "--name", "forever", "--restart", "always", "busybox", "sh", "-c", "sleep 0.2; exit 0");
        Assert.True(await ContainerHost.EventuallyAsync(async () => int.Parse(await host.OkAsync("inspect", "-f", "{{.RestartCount}}", "forever"), System.Globalization.CultureInfo.InvariantCulture) >= 2, 20));
        await host.OkAsync("stop", "-t", "1", "forever");
        var count = await host.OkAsync("inspect", "-f", "{{.RestartCount}}", "forever");
        await Task.Delay(1500);
        Assert.Equal(count, await host.OkAsync("inspect", "-f", "{{.RestartCount}}", "forever"));
        Assert.Equal("exited\n", await host.OkAsync("inspect", "-f", "{{.State.Status}}", "forever"));
    }

    [Fact]
    public async Task Rm_refuses_running_containers_and_names_are_unique()
    {
        using var host = await ContainerHost.CreateAsync();
        await host.OkAsync("run", "-d", "--name", "busy", "busybox", "sleep", "60");
        var dup = await host.RunAsync("run", "-d", "--name", "busy", "busybox", "true");
        Assert.Equal(125, dup.ExitCode);
        Assert.Contains("is already in use", dup.Stderr, StringComparison.Ordinal);
        var rm = await host.RunAsync("rm", "busy");
        Assert.NotEqual(0, rm.ExitCode);
        Assert.Contains("stop the container before removing or force remove", rm.Stderr, StringComparison.Ordinal);
        await host.OkAsync("rename", "busy", "renamed");
        var gone = await host.RunAsync("rm", "-f", "busy");
        Assert.Equal(1, gone.ExitCode);
        Assert.Equal("Error: No such container: busy\n", gone.Stderr);
        Assert.Equal("renamed\n", await host.OkAsync("rm", "-f", "renamed"));
        Assert.Equal(string.Empty, await host.OkAsync("ps", "-aq"));
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mounts"), l => l.Contains(host.Strata.Root, StringComparison.Ordinal));

        await host.OkAsync("run", "--rm", "--name", "gone", "busybox", "true");
        Assert.Equal(string.Empty, await host.OkAsync("ps", "-aq"));
        await host.OkAsync("create", "--name", "c1", "busybox", "true");
        await host.OkAsync("run", "--name", "c2", "busybox", "true");
        Assert.Contains("Deleted Containers:", await host.OkAsync("container", "prune", "-f"), StringComparison.Ordinal);
        Assert.Equal(string.Empty, await host.OkAsync("ps", "-aq"));
    }

    [Fact]
    public async Task Create_then_start_attached_and_inspect_and_ps_json()
    {
        using var host = await ContainerHost.CreateAsync();
        var id = (await host.OkAsync("create", "--name", "later", "-e", "A=1", "-w", "/tmp", "-h", "box", "--label", "team=a", "busybox", "sh", "-c", "echo $A $(pwd) $(hostname)")).Trim();
        var doc = JsonDocument.Parse(await host.OkAsync("inspect", "later")).RootElement[0];
        Assert.Equal(id, doc.GetProperty("Id").GetString());
        Assert.Equal("/later", doc.GetProperty("Name").GetString());
        Assert.Equal("created", doc.GetProperty("State").GetProperty("Status").GetString());
        Assert.Equal("sh", doc.GetProperty("Path").GetString());
        Assert.Equal("a", doc.GetProperty("Config").GetProperty("Labels").GetProperty("team").GetString());
        var start = await host.RunAsync("start", "-a", "later");
        Assert.Equal(0, start.ExitCode);
        Assert.Equal("1 /tmp box\n", start.Stdout);
        var row = JsonDocument.Parse((await host.OkAsync("ps", "-a", "--format", "json")).Trim()).RootElement;
        Assert.Equal("later", row.GetProperty("Names").GetString());
        Assert.Equal("exited", row.GetProperty("State").GetString());
        Assert.Equal("later exited\n", await host.OkAsync("ps", "-a", "--format", "{{.Names}} {{.State}}"));
    }

    [Fact]
    public async Task Interactive_input_is_piped_and_a_tty_is_a_real_terminal()
    {
        using var host = await ContainerHost.CreateAsync();
        var piped = await host.Strata.RunAsync(["run", "-i", "--rm", "busybox", "sh", "-c", "cat; echo done"], "line one\nline two\n");
        Assert.Equal("line one\nline two\ndone\n", piped.Stdout);
        var noTty = await host.Strata.RunAsync(["run", "-it", "--rm", "busybox", "true"], "x");
        Assert.Equal("Error: the input device is not a TTY\n", noTty.Stderr);

        // script(1) gives strata a terminal, as an interactive shell would.
        var cmd = $"{StrataBinary.Path} --root {host.Strata.Root} run -it --rm busybox sh -c 'tty; stty size; exit 5'";
        var tty = await Proc.RunAsync("script", ["-qec", cmd, "/dev/null"], stdin: string.Empty);
        Assert.Equal(5, tty.ExitCode);
        Assert.Contains("/dev/pts/0", tty.Stdout, StringComparison.Ordinal);
    }
}
