using System.Diagnostics;
using System.Text.Json;
using Strata.Oci;

namespace Strata.Runtime.Oci;

/// <summary>
/// Drives an OCI runtime CLI (crun or runc; both take the same commands) with its state under Strata's root,
/// so Strata's containers never mix with podman's or docker's.
/// </summary>
public sealed class OciRuntime
{
    public OciRuntime(string name, string path, string stateRoot)
    {
        Name = name;
        Path = path;
        StateRoot = stateRoot;
    }

    /// <summary><c>crun</c> or <c>runc</c>.</summary>
    public string Name { get; }

    public string Path { get; }

    /// <summary>The runtime's <c>--root</c>.</summary>
    public string StateRoot { get; }

    /// <summary>A foreground <c>run</c>: the runtime creates, starts and waits for the container, then deletes it.</summary>
    public ProcessStartInfo RunStartInfo(string id, string bundle, string pidFile, string logFile)
    {
        var psi = StartInfo("run", "--bundle", bundle, "--pid-file", pidFile, id);
        psi.ArgumentList.Insert(0, "--log-format=json");
        psi.ArgumentList.Insert(0, "--log=" + logFile);
        return psi;
    }

    /// <summary>A foreground <c>exec</c> of a new process in a running container.</summary>
    public ProcessStartInfo ExecStartInfo(string id, IReadOnlyList<string> args, bool tty, IEnumerable<string> env, string? cwd, string? user, string? pidFile = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        var a = new List<string> { "exec" };
        if (pidFile is not null)
        {
            a.Add("--pid-file");
            a.Add(pidFile);
        }

        if (tty)
        {
            a.Add("--tty");
        }

        foreach (var e in env)
        {
            a.Add("--env");
            a.Add(e);
        }

        if (!string.IsNullOrEmpty(cwd))
        {
            a.Add("--cwd");
            a.Add(cwd);
        }

        if (!string.IsNullOrEmpty(user))
        {
            a.Add("--user");
            a.Add(user);
        }

        a.Add(id);
        a.AddRange(args);
        return StartInfo([.. a]);
    }

    public Task<RuntimeResult> KillAsync(string id, string signal, CancellationToken cancellationToken = default) =>
        RunAsync(cancellationToken, "kill", id, signal.StartsWith("SIG", StringComparison.Ordinal) ? signal[3..] : signal);

    /// <summary>Deletes the runtime's state of a container; free when it has none (crun and runc keep it in <c>ROOT/ID</c>).</summary>
    public Task<RuntimeResult> DeleteAsync(string id, CancellationToken cancellationToken = default) =>
        HasState(id) ? RunAsync(cancellationToken, "delete", "--force", id) : Task.FromResult(new RuntimeResult(0, string.Empty, string.Empty));

    /// <summary>Whether the runtime holds state for the container (a foreground <c>run</c> removes it when the process exits).</summary>
    public bool HasState(string id) => Directory.Exists(System.IO.Path.Combine(StateRoot, id));

    public Task<RuntimeResult> PauseAsync(string id, CancellationToken cancellationToken = default) => RunAsync(cancellationToken, "pause", id);

    public Task<RuntimeResult> ResumeAsync(string id, CancellationToken cancellationToken = default) => RunAsync(cancellationToken, "resume", id);

    /// <summary>The runtime's view of the container: <c>running</c>, <c>paused</c>, <c>stopped</c>, <c>created</c>, or null when it has none.</summary>
    public async Task<string?> StatusAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!HasState(id))
        {
            return null;
        }

        var r = await RunAsync(cancellationToken, "state", id).ConfigureAwait(false);
        if (r.ExitCode != 0)
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(r.Stdout);
            return doc.RootElement.TryGetProperty("status", out var s) ? s.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Host PIDs of every process in the container.</summary>
    public async Task<IReadOnlyList<int>> PidsAsync(string id, CancellationToken cancellationToken = default)
    {
        var r = await RunAsync(cancellationToken, "ps", "--format", "json", id).ConfigureAwait(false);
        r.ThrowIfFailed($"list the processes of {id}");
        using var doc = JsonDocument.Parse(r.Stdout.Trim().Length == 0 || r.Stdout.Trim() == "null" ? "[]" : r.Stdout);
        return doc.RootElement.ValueKind == JsonValueKind.Array ? [.. doc.RootElement.EnumerateArray().Select(e => e.GetInt32())] : [];
    }

    private ProcessStartInfo StartInfo(params string[] args)
    {
        var psi = new ProcessStartInfo(Path) { UseShellExecute = false };
        psi.ArgumentList.Add("--root");
        psi.ArgumentList.Add(StateRoot);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return psi;
    }

    private async Task<RuntimeResult> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        var psi = StartInfo(args);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.RedirectStandardInput = true;
        using var p = Process.Start(psi) ?? throw StrataException.Unavailable("RUNTIME_START", $"cannot start {Path}");
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = p.StandardError.ReadToEndAsync(cancellationToken);
        await p.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return new RuntimeResult(p.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }
}
