using Strata.Integration.Tests.Containers;

namespace Strata.Integration.Tests.Security;

/// <summary>Docker's default seccomp profile by default; <c>--security-opt</c> and <c>--privileged</c> change it as docker does.</summary>
[Trait("Category", "Integration")]
public sealed class SeccompTests
{
    private const int Eperm = 1;

    [Fact]
    public async Task Default_profile_refuses_keyrings_and_user_namespaces_unconfined_and_privileged_allow_them()
    {
        using var host = await ContainerHost.CreateAsync();
        var probe = await SyscallProbe.DirectoryAsync();
        var mount = $"{probe}:/probe:ro";

        // Through sh: strata's executable check before start looks in the image, not in bind mounts.

        var confined = SyscallProbe.Parse(await host.OkAsync("run", "--rm", "-v", mount, "busybox", "sh", "-c", "/probe/probe"));
        Assert.Equal(Eperm, confined["add_key"]);
        Assert.Equal(Eperm, confined["keyctl"]);
        Assert.Equal(Eperm, confined["unshare_user"]);
        Assert.Equal("2", await StatusFieldAsync(host, "Seccomp"));

        // busybox's own applet hits the same wall.
        var applet = await host.RunAsync("run", "--rm", "busybox", "unshare", "-U", "true");
        Assert.NotEqual(0, applet.ExitCode);
        Assert.Contains("Operation not permitted", applet.Stderr, StringComparison.Ordinal);

        foreach (var flags in new[] { new[] { "--security-opt", "seccomp=unconfined" }, ["--privileged"] })
        {
            var open = SyscallProbe.Parse(await host.OkAsync(["run", "--rm", .. flags, "-v", mount, "busybox", "sh", "-c", "/probe/probe"]));
            Assert.Equal(0, open["add_key"]);
            Assert.Equal(0, open["keyctl"]);
            Assert.Equal(0, open["unshare_user"]);
            Assert.Equal("0", await StatusFieldAsync(host, "Seccomp", flags));
        }

        // CAP_SYS_ADMIN brings the profile's conditional rules: unshare is allowed, the keyring calls still are not.
        var admin = SyscallProbe.Parse(await host.OkAsync("run", "--rm", "--cap-add", "SYS_ADMIN", "-v", mount, "busybox", "sh", "-c", "/probe/probe"));
        Assert.Equal(0, admin["unshare_user"]);
        Assert.Equal(Eperm, admin["add_key"]);
    }

    [Fact]
    public async Task Custom_profile_and_no_new_privileges_apply_and_show_in_inspect_and_info()
    {
        using var host = await ContainerHost.CreateAsync();
        var probe = await SyscallProbe.DirectoryAsync();
        var profile = Path.Combine(Path.GetTempPath(), $"strata-seccomp-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(profile, """{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["add_key"],"action":"SCMP_ACT_ERRNO","errnoRet":13}]}""");
        try
        {
            await host.OkAsync("create", "--name", "custom", "--security-opt", "seccomp=" + profile, "--security-opt", "no-new-privileges", "-v", $"{probe}:/probe:ro", "busybox", "sh", "-c", "/probe/probe");
            var result = SyscallProbe.Parse(await host.OkAsync("start", "-a", "custom"));
            Assert.Equal(13, result["add_key"]);
            Assert.Equal(0, result["keyctl"]);
            Assert.Equal("1", await StatusFieldAsync(host, "NoNewPrivs", ["--security-opt", "no-new-privileges=true"]));
            Assert.Equal("0", await StatusFieldAsync(host, "NoNewPrivs"));
            Assert.Contains("no-new-privileges", await host.OkAsync("inspect", "-f", "{{json .HostConfig.SecurityOpt}}", "custom"), StringComparison.Ordinal);
            Assert.Contains("name=seccomp,profile=builtin", await host.OkAsync("info", "-f", "{{json .SecurityOptions}}"), StringComparison.Ordinal);
            Assert.Contains("Security Options:\n  seccomp\n   Profile: builtin\n", await host.OkAsync("info"), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(profile);
        }
    }

    [Fact]
    public async Task Bad_security_options_fail_with_one_line_saying_what_to_fix()
    {
        using var host = await ContainerHost.CreateAsync();
        var profile = Path.Combine(Path.GetTempPath(), $"strata-seccomp-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(profile, "{ this is not json");
        try
        {
            string[][] cases =
            [
                ["--security-opt", "seccomp=" + profile],                  // not JSON
                ["--security-opt", "seccomp=/nonexistent/profile.json"],   // missing file
                ["--security-opt", "no-new-privileges=maybe"],             // not a boolean
                ["--security-opt", "bogus=1"],                              // unknown option
            ];
            foreach (var flags in cases)
            {
                var r = await host.RunAsync(["run", "--rm", .. flags, "busybox", "true"]);
                Assert.Equal(125, r.ExitCode);
                var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
                Assert.StartsWith("Error: ", line, StringComparison.Ordinal);
            }

            var notJson = await host.RunAsync("run", "--rm", "--security-opt", "seccomp=" + profile, "busybox", "true");
            Assert.Contains("is not valid JSON", notJson.Stderr, StringComparison.Ordinal);
            Assert.Empty((await host.OkAsync("ps", "-aq")).Trim());
        }
        finally
        {
            File.Delete(profile);
        }
    }

    private static async Task<string> StatusFieldAsync(ContainerHost host, string field, string[]? flags = null)
    {
        var status = await host.OkAsync(["run", "--rm", .. flags ?? [], "busybox", "cat", "/proc/self/status"]);
        var line = status.Split('\n').Single(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return line[(field.Length + 1)..].Trim();
    }
}
