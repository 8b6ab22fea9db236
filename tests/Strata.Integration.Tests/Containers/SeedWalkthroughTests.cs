using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Strata.Integration.Tests.Support;

namespace Strata.Integration.Tests.Containers;

/// <summary>The seed user's walkthrough and the isolation a container must have, with the real binary and crun.</summary>
[Trait("Category", "Integration")]
public sealed class SeedWalkthroughTests
{
    [Fact]
    public async Task Import_run_change_commit_and_the_base_stays_as_it_was()
    {
        using var host = await ContainerHost.CreateAsync();
        await host.OkAsync("run", "--name", "motd", "busybox", "sh", "-c", "echo 'Welcome' > /etc/motd");
        await host.OkAsync("commit", "motd", "base:with-motd");

        await host.OkAsync("run", "--name", "seed", "base:with-motd", "sh", "-c", "echo hello > /root/a.txt && rm /etc/motd");
        var image = (await host.OkAsync("commit", "-m", "add a.txt, drop motd", "-a", "Seed User <seed@example.com>", "seed", "me/box:1.1")).Trim();
        Assert.Matches($@"(?m)^me/box\s+1\.1\s+{image[7..19]}\s", await host.OkAsync("images"));
        Assert.Equal("hello\nmotd gone\n", await host.OkAsync("run", "--rm", "me/box:1.1", "sh", "-c", "cat /root/a.txt; test -e /etc/motd || echo motd gone"));
        var history = await host.OkAsync("history", "--format", "{{.Comment}}|{{.CreatedBy}}", "me/box:1.1");
        Assert.StartsWith("add a.txt, drop motd|sh -c echo hello", history, StringComparison.Ordinal);
        var author = JsonDocument.Parse(await host.OkAsync("image", "inspect", "me/box:1.1")).RootElement[0].GetProperty("Author").GetString();
        Assert.Equal("Seed User <seed@example.com>", author);

        // Copy-on-write: the base's layers on disk still have motd and no a.txt; a new container from the base sees it unchanged.
        var lowers = (await host.OkAsync("inspect", "-f", "{{.GraphDriver.Data.LowerDir}}", "seed")).Trim().Split(':');
        Assert.Contains(lowers, l => File.Exists(Path.Combine(l, "etc", "motd")));
        Assert.DoesNotContain(lowers, l => File.Exists(Path.Combine(l, "root", "a.txt")));
        Assert.Equal("Welcome\nno a.txt\n", await host.OkAsync("run", "--rm", "base:with-motd", "sh", "-c", "cat /etc/motd; test -e /root/a.txt || echo no a.txt"));
    }

    [Fact]
    public async Task A_container_sees_only_its_own_processes_hostname_and_files()
    {
        using var host = await ContainerHost.CreateAsync();
        var secret = Path.Combine(Path.GetTempPath(), "strata-host-only-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(secret, "host");
        try
        {
            var r = await host.OkAsync("run", "--rm", "--hostname", "inside", "busybox", "sh", "-c",
                $"echo $$; hostname; ps -o pid | wc -l; test -e {secret} && echo visible || echo hidden");

            // ps sees a header, sh (PID 1), ps and wc: nothing of the host's.
            Assert.Equal(["1", "inside", "4", "hidden"], r.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public async Task Fork_bomb_is_stopped_by_the_pids_limit()
    {
        using var host = await ContainerHost.CreateAsync();
        var r = await host.Strata.RunAsync(["run", "--rm", "--pids-limit", "10", "busybox", "sh", "-c", "bomb() { bomb | bomb & }; bomb; sleep 2; echo still-here"], null, timeout: TimeSpan.FromMinutes(2));
        Assert.Contains("can't fork", r.Stderr, StringComparison.Ordinal);
        Assert.Equal("still-here\n", r.Stdout);
    }

    [Fact]
    public async Task Interactive_shell_on_a_real_pty_types_commands_and_ctrl_d_exits_with_the_shells_code()
    {
        using var host = await ContainerHost.CreateAsync();
        // script(1) runs strata on a new pseudo-terminal and copies our pipe to it, as a user's terminal would.
        var psi = new ProcessStartInfo("script") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-qec", $"{StrataBinary.Path} --root {host.Strata.Root} run -it --rm busybox sh", "/dev/null" })
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var output = new StringBuilder();
        var reader = Task.Run(async () =>
        {
            var buf = new char[4096];
            int n;
            while ((n = await p.StandardOutput.ReadAsync(buf)) > 0)
            {
                lock (output)
                {
                    output.Append(buf, 0, n);
                }
            }
        });
        async Task TypeAsync(string text, string waitFor)
        {
            await p.StandardInput.WriteAsync(text);
            await p.StandardInput.FlushAsync();
            Assert.True(await ContainerHost.EventuallyAsync(() =>
            {
                lock (output)
                {
                    return Task.FromResult(output.ToString().Contains(waitFor, StringComparison.Ordinal));
                }
            }), $"no \"{waitFor}\" in: {output}");
        }

        await TypeAsync(string.Empty, "/ # ");
        await TypeAsync("echo typed-$((40+2)); tty\n", "typed-42");
        await TypeAsync("false\n", "false");
        await Task.Delay(300);
        await p.StandardInput.WriteAsync("\u0004");
        await p.StandardInput.FlushAsync();
        Assert.True(p.WaitForExit(TimeSpan.FromSeconds(20)));
        await reader;
        Assert.Equal(1, p.ExitCode);
        Assert.Contains("/dev/pts/0", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_it_gets_a_terminal_and_entrypoint_and_env_file_flags_apply()
    {
        using var host = await ContainerHost.CreateAsync();
        var envFile = Path.Combine(host.Strata.Root, "app.env");
        await File.WriteAllTextAsync(envFile, "# comment\nFROM_FILE=yes\n");
        await host.OkAsync("run", "-d", "--name", "svc", "--env-file", envFile, "--entrypoint", "sh", "busybox", "-c", "while true; do sleep 0.1; done");
        Assert.Equal("yes\n", await host.OkAsync("exec", "svc", "sh", "-c", "echo $FROM_FILE"));
        Assert.Equal("sh\n", await host.OkAsync("inspect", "-f", "{{.Path}}", "svc"));
        var cmd = $"{StrataBinary.Path} --root {host.Strata.Root} exec -it svc sh -c 'tty; exit 9'";
        var tty = await Proc.RunAsync("script", ["-qec", cmd, "/dev/null"], stdin: string.Empty);
        Assert.Equal(9, tty.ExitCode);
        Assert.Contains("/dev/pts/", tty.Stdout, StringComparison.Ordinal);
        var notTty = await host.RunAsync("exec", "svc", "tty");
        Assert.Equal("not a tty\n", notTty.Stdout);
    }

    [Fact]
    public async Task Image_saved_by_podman_runs_in_strata()
    {
        using var host = await ContainerHost.CreateAsync();
        using var podman = new Images.IsolatedPodman();
        var tar = await Fixtures.BusyboxRootfsTarAsync();
        await podman.OkAsync("import", "-c", "CMD [\"sh\"]", tar, "localhost/frompodman:1");
        var archive = Path.Combine(host.Strata.Root, "podman.tar");
        await podman.OkAsync("save", "-o", archive, "localhost/frompodman:1");
        await host.OkAsync("load", "-i", archive);
        Assert.Equal("from podman\n", await host.OkAsync("run", "--rm", "localhost/frompodman:1", "echo", "from podman"));
    }
}
