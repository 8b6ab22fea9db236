using Strata.Integration.Tests.Support;

namespace Strata.Integration.Tests.Security;

/// <summary>
/// A tiny static program that tries the calls Docker's default seccomp profile refuses to a container without
/// CAP_SYS_ADMIN (<c>add_key</c>, <c>keyctl</c>, <c>unshare(CLONE_NEWUSER)</c>) and prints <c>name=errno</c> for each
/// (0 when the call succeeded). Compiled once per test run with the host's C compiler.
/// </summary>
public static class SyscallProbe
{
    private const string Source = """
        #define _GNU_SOURCE
        #include <errno.h>
        #include <sched.h>
        #include <stdio.h>
        #include <unistd.h>
        #include <sys/syscall.h>
        #include <linux/keyctl.h>
        static void report(const char *name, long r) { printf("%s=%d\n", name, r < 0 ? errno : 0); }
        int main(void) {
            report("add_key", syscall(SYS_add_key, "user", "strata-probe", "v", 1, KEY_SPEC_PROCESS_KEYRING));
            report("keyctl", syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_PROCESS_KEYRING, 1));
            report("unshare_user", unshare(CLONE_NEWUSER));
            return 0;
        }
        """;

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _dir;

    /// <summary>A directory holding the static binary <c>probe</c>, to bind-mount into a container.</summary>
    public static async Task<string> DirectoryAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_dir is not null && File.Exists(Path.Combine(_dir, "probe")))
            {
                return _dir;
            }

            var dir = Directory.CreateTempSubdirectory("strata-probe-").FullName;
            File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
            var c = Path.Combine(dir, "probe.c");
            await File.WriteAllTextAsync(c, Source);
            var compiler = File.Exists("/usr/bin/clang") ? "clang" : "cc";
            (await Proc.RunAsync(compiler, ["-static", "-O1", "-o", Path.Combine(dir, "probe"), c])).EnsureSuccess("compile the syscall probe");
            _dir = dir;
            return dir;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Parses the probe's output into name -> errno.</summary>
    public static Dictionary<string, int> Parse(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => int.Parse(kv[1], System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);
}
