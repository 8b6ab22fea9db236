using System.Diagnostics;
using Strata.Oci;
using Strata.Runtime.Bundles;
using Strata.Runtime.Containers;

namespace Strata.Build.Running;

/// <summary>
/// Runs RUN steps with an OCI runtime (runc or crun) from the bundle <see cref="BundleWriter"/> writes for
/// <c>run</c> (the same namespaces, capabilities, masked and read-only paths, device rules and whatever else the
/// runtime area adds), so a RUN step is isolated exactly like a container. The network namespace is the host's
/// unless <c>none</c>, as BuildKit's default.
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

        throw StrataException.Precondition(BuildErrors.RuntimeNotFound, "no OCI runtime (runc or crun) found on PATH; RUN steps need one");
    }

    public async Task<int> RunAsync(StepRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var containerId = "strata-build-" + run.Id[..12];
        var bundle = Path.Combine(_stateDir, "bundles", containerId);
        Directory.CreateDirectory(bundle);
        var runtimeRoot = Path.Combine(_stateDir, "runtime");
        Directory.CreateDirectory(runtimeRoot);
        var stubs = new List<string>();
        try
        {
            var spec = new ContainerSpec
            {
                Image = "build-step",
                ImageId = string.Empty,
                Cmd = run.Args,
                Env = run.Env,
                WorkingDir = string.IsNullOrEmpty(run.WorkingDir) ? "/" : run.WorkingDir,
                User = run.User ?? string.Empty,
                Hostname = run.Hostname,
                Network = run.Network == "none" ? "none" : "host",
                Privileged = run.Insecure,
                Runtime = _runtime,
            };
            ProcessSpec process;
            try
            {
                process = ProcessResolver.Resolve(spec, run.RootfsDir, terminal: false);
            }
            catch (StrataException e) when (e.ExitCode is { } code)
            {
                await run.Output.WriteAsync(System.Text.Encoding.UTF8.GetBytes(e.Message + "\n"), cancellationToken).ConfigureAwait(false);
                return code;
            }

            var hosts = Path.Combine(bundle, "hosts");
            await File.WriteAllTextAsync(hosts, $"127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t{run.Hostname}\n", cancellationToken).ConfigureAwait(false);
            var resolv = Path.Combine(bundle, "resolv.conf");
            var hostResolv = File.Exists("/etc/resolv.conf") ? await File.ReadAllTextAsync("/etc/resolv.conf", cancellationToken).ConfigureAwait(false) : string.Empty;
            await File.WriteAllTextAsync(resolv, run.Network == "none" ? string.Empty : hostResolv, cancellationToken).ConfigureAwait(false);
            var hostnameFile = Path.Combine(bundle, "hostname");
            await File.WriteAllTextAsync(hostnameFile, run.Hostname + "\n", cancellationToken).ConfigureAwait(false);

            foreach (var m in run.Mounts)
            {
                if (MountStub.Create(run.RootfsDir, m.Destination, isFile: m.Type == "bind" && File.Exists(m.Source)) is { } stub)
                {
                    stubs.Add(stub);
                }
            }

            var config = BundleWriter.Write(new BundleRequest
            {
                Container = new ContainerRecord { Id = run.Id, Name = containerId, Spec = spec, Created = DateTimeOffset.UtcNow },
                Rootfs = run.RootfsDir,
                HostsFile = hosts,
                ResolvConfFile = resolv,
                HostnameFile = hostnameFile,
                UserMounts = run.Mounts,
                CgroupsPath = "/strata/" + containerId,
            }, process);
            await File.WriteAllBytesAsync(Path.Combine(bundle, "config.json"), config, cancellationToken).ConfigureAwait(false);
            return await ExecAsync(run, containerId, bundle, runtimeRoot, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var stub in stubs)
            {
                MountStub.Remove(stub);
            }

            try
            {
                Directory.Delete(bundle, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private async Task<int> ExecAsync(StepRun run, string containerId, string bundle, string runtimeRoot, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(_runtime)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--root", runtimeRoot, "run", "--bundle", bundle, containerId })
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw StrataException.Unavailable(BuildErrors.RuntimeStart, $"cannot start {_runtime}");
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
            using var kill = Process.Start(new ProcessStartInfo(_runtime, ["--root", runtimeRoot, "kill", containerId, "KILL"]) { UseShellExecute = false });
            if (kill is not null)
            {
                await kill.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }

            await p.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            using var del = Process.Start(new ProcessStartInfo(_runtime, ["--root", runtimeRoot, "delete", "-f", containerId]) { UseShellExecute = false });
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
}
