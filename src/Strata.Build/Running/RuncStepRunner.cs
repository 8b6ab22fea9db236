using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Strata.Oci;
using Strata.Runtime.Bundles;

namespace Strata.Build.Running;

/// <summary>
/// Runs RUN steps with an OCI runtime (runc or crun) from a minimal bundle: the snapshot's mounted root
/// filesystem, proc/dev/sys, a private /etc/hosts and the host's /etc/resolv.conf, its own PID, IPC,
/// UTS and mount namespaces and a network namespace unless <c>host</c>. The builder's own runner until the
/// runtime area offers one.
/// </summary>
public sealed class RuncStepRunner : IStepRunner
{
    private readonly string _runtime;
    private readonly string _stateDir;

    public RuncStepRunner(string runtime, string stateDir)
    {
        _runtime = runtime;
        _stateDir = stateDir;
    }

    /// <summary>runc unless <paramref name="preferred"/> names another runtime on PATH.</summary>
    public static string FindRuntime(string? preferred)
    {
        foreach (var name in new[] { preferred, "runc", "crun" })
        {
            if (!string.IsNullOrEmpty(name) && Strata.Runtime.Oci.RuntimeSelector.Find(name) is { } path)
            {
                return path;
            }
        }

        throw StrataException.Precondition("RUNTIME_NOT_FOUND", "no OCI runtime (runc or crun) found on PATH; RUN steps need one");
    }

    public async Task<int> RunAsync(StepRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var bundle = Path.Combine(_stateDir, "bundles", run.Id);
        Directory.CreateDirectory(bundle);
        var runtimeRoot = Path.Combine(_stateDir, "runtime");
        Directory.CreateDirectory(runtimeRoot);
        try
        {
            var (uid, gid, home) = UserSpec.Resolve(run.User, run.RootfsDir);
            var env = new List<string>(run.Env);
            if (!env.Any(e => e.StartsWith("PATH=", StringComparison.Ordinal)))
            {
                env.Insert(0, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
            }

            if (!env.Any(e => e.StartsWith("HOSTNAME=", StringComparison.Ordinal)))
            {
                env.Add("HOSTNAME=" + run.Hostname);
            }

            if (!env.Any(e => e.StartsWith("HOME=", StringComparison.Ordinal)))
            {
                env.Add("HOME=" + (string.IsNullOrEmpty(home) ? "/" : home));
            }

            var hosts = Path.Combine(bundle, "hosts");
            await File.WriteAllTextAsync(hosts, $"127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t{run.Hostname}\n", cancellationToken).ConfigureAwait(false);
            var resolv = Path.Combine(bundle, "resolv.conf");
            var hostResolv = File.Exists("/etc/resolv.conf") ? await File.ReadAllTextAsync("/etc/resolv.conf", cancellationToken).ConfigureAwait(false) : string.Empty;
            await File.WriteAllTextAsync(resolv, run.Network == "none" ? string.Empty : hostResolv, cancellationToken).ConfigureAwait(false);

            // The mount targets must exist in the rootfs; create what is missing (the builder hides them from the diff).
            foreach (var d in new[] { "proc", "dev", "sys", "etc" })
            {
                EnsureDir(run.RootfsDir, d);
            }

            foreach (var f in new[] { "etc/hosts", "etc/resolv.conf" })
            {
                EnsureFile(run.RootfsDir, f);
            }

            await File.WriteAllBytesAsync(Path.Combine(bundle, "config.json"), Spec(run, env, uid, gid, hosts, resolv), cancellationToken).ConfigureAwait(false);
            return await ExecAsync(run, bundle, runtimeRoot, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            try
            {
                Directory.Delete(bundle, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static void EnsureDir(string rootfs, string rel)
    {
        var p = Path.Combine(rootfs, rel);
        if (!Directory.Exists(p) && !File.Exists(p))
        {
            Directory.CreateDirectory(p);
        }
    }

    private static void EnsureFile(string rootfs, string rel)
    {
        var p = Path.Combine(rootfs, rel);
        var info = new FileInfo(p);
        if (!info.Exists && info.LinkTarget is null && !Directory.Exists(p))
        {
            using var _ = File.Create(p);
        }
    }

    private async Task<int> ExecAsync(StepRun run, string bundle, string runtimeRoot, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(_runtime)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--root", runtimeRoot, "run", "--bundle", bundle, run.Id })
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw StrataException.Unavailable("RUNTIME_START", $"cannot start {_runtime}");
        p.StandardInput.Close();
        var gate = new SemaphoreSlim(1, 1);
        async Task Pump(Stream from)
        {
            var buf = new byte[16384];
            int n;
            while ((n = await from.ReadAsync(buf, CancellationToken.None).ConfigureAwait(false)) > 0)
            {
                await gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
                try
                {
                    await run.Output.WriteAsync(buf.AsMemory(0, n), CancellationToken.None).ConfigureAwait(false);
                    await run.Output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                }
                finally
                {
                    gate.Release();
                }
            }
        }

        var pumps = Task.WhenAll(Pump(p.StandardOutput.BaseStream), Pump(p.StandardError.BaseStream));
        try
        {
            await p.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            using var kill = Process.Start(new ProcessStartInfo(_runtime, ["--root", runtimeRoot, "kill", run.Id, "KILL"]) { UseShellExecute = false });
            if (kill is not null)
            {
                await kill.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }

            await p.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            using var del = Process.Start(new ProcessStartInfo(_runtime, ["--root", runtimeRoot, "delete", "-f", run.Id]) { UseShellExecute = false });
            if (del is not null)
            {
                await del.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }

            throw;
        }

        await pumps.ConfigureAwait(false);
        gate.Dispose();
        return p.ExitCode;
    }

    private static byte[] Spec(StepRun run, List<string> env, int uid, int gid, string hosts, string resolv)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteString("ociVersion", "1.0.2");
            w.WriteStartObject("process");
            w.WriteBoolean("terminal", false);
            w.WriteStartObject("user");
            w.WriteNumber("uid", uid);
            w.WriteNumber("gid", gid);
            w.WriteEndObject();
            SpecJson.Array(w, "args", run.Args);
            SpecJson.Array(w, "env", env);
            w.WriteString("cwd", string.IsNullOrEmpty(run.WorkingDir) ? "/" : run.WorkingDir);
            w.WriteStartObject("capabilities");
            foreach (var set in new[] { "bounding", "effective", "permitted" })
            {
                SpecJson.Array(w, set, Capabilities.Default);
            }

            w.WriteEndObject();
            w.WriteBoolean("noNewPrivileges", false);
            w.WriteEndObject();
            w.WriteStartObject("root");
            w.WriteString("path", run.RootfsDir);
            w.WriteBoolean("readonly", false);
            w.WriteEndObject();
            w.WriteString("hostname", run.Hostname);
            w.WriteStartArray("mounts");
            SpecJson.Mount(w, "/proc", "proc", "proc", ["nosuid", "noexec", "nodev"]);
            SpecJson.Mount(w, "/dev", "tmpfs", "tmpfs", ["nosuid", "strictatime", "mode=755", "size=65536k"]);
            SpecJson.Mount(w, "/dev/pts", "devpts", "devpts", ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]);
            SpecJson.Mount(w, "/dev/shm", "tmpfs", "shm", ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]);
            SpecJson.Mount(w, "/dev/mqueue", "mqueue", "mqueue", ["nosuid", "noexec", "nodev"]);
            SpecJson.Mount(w, "/sys", "sysfs", "sysfs", ["nosuid", "noexec", "nodev", "ro"]);
            SpecJson.Mount(w, "/etc/hosts", "bind", hosts, ["rbind", "rprivate"]);
            SpecJson.Mount(w, "/etc/resolv.conf", "bind", resolv, ["rbind", "rprivate"]);
            w.WriteEndArray();
            w.WriteStartObject("linux");
            w.WriteStartArray("namespaces");
            foreach (var ns in run.Network == "host" ? new[] { "pid", "ipc", "uts", "mount" } : ["pid", "ipc", "uts", "mount", "network"])
            {
                w.WriteStartObject();
                w.WriteString("type", ns);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            SpecJson.Array(w, "maskedPaths", ["/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi"]);
            SpecJson.Array(w, "readonlyPaths", ["/proc/asound", "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return ms.ToArray();
    }

    internal static string Describe(IEnumerable<string> args) => new StringBuilder().AppendJoin(' ', args).ToString();
}
