namespace Strata.Integration.Tests.Support;

/// <summary>
/// The `strata` executable under test: <c>$STRATA_BIN</c> (the NativeAOT build `make test` sets), else the
/// JIT build next to the tests. Each instance has its own store root so tests never share state.
/// </summary>
public sealed class StrataBinary : IDisposable
{
    public StrataBinary(string? root = null)
    {
        Root = root ?? Directory.CreateTempSubdirectory("strata-it-").FullName;
    }

    public string Root { get; }

    public static string Path
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("STRATA_BIN");
            if (!string.IsNullOrEmpty(env) && File.Exists(env))
            {
                return env;
            }

            var local = System.IO.Path.Combine(AppContext.BaseDirectory, "strata");
            if (File.Exists(local))
            {
                return local;
            }

            throw new InvalidOperationException("strata binary not found: set STRATA_BIN or build src/Strata.Cli");
        }
    }

    /// <summary>Runs <c>strata --root ROOT args...</c>.</summary>
    public Task<ProcessResult> RunAsync(params string[] args) => RunAsync(args, stdin: null);

    public Task<ProcessResult> RunAsync(IEnumerable<string> args, string? stdin, IDictionary<string, string>? env = null, TimeSpan? timeout = null) =>
        Proc.RunAsync(Path, ["--root", Root, .. args], stdin, env, timeout);

    public async Task<string> OkAsync(params string[] args) =>
        (await RunAsync(args)).EnsureSuccess("strata " + string.Join(' ', args)).Stdout;

    public void Dispose()
    {
        // Overlay mounts under the root would make the delete fail; unmount anything left by a failed test.
        foreach (var line in File.ReadAllLines("/proc/self/mounts").Reverse())
        {
            var mountPoint = line.Split(' ')[1];
            if (mountPoint.StartsWith(Root, StringComparison.Ordinal))
            {
                _ = Proc.RunAsync("umount", ["-l", mountPoint]).GetAwaiter().GetResult();
            }
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A container's files may still be busy; the temp dir is cleaned by the OS later.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
