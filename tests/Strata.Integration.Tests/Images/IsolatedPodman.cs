using Strata.Integration.Tests.Support;

namespace Strata.Integration.Tests.Images;

/// <summary>podman with its own storage root (vfs) in a temp dir, so tests never touch the host's images.</summary>
public sealed class IsolatedPodman : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("strata-podman-").FullName;

    public Task<ProcessResult> RunAsync(params string[] args) =>
        Proc.RunAsync("podman", ["--root", Path.Combine(_dir, "root"), "--runroot", Path.Combine(_dir, "run"), "--storage-driver", "vfs", "--events-backend", "file", .. args], timeout: TimeSpan.FromMinutes(3));

    /// <summary>buildah on the same storage as this podman.</summary>
    public Task<ProcessResult> BuildahAsync(params string[] args) =>
        Proc.RunAsync("buildah", ["--root", Path.Combine(_dir, "root"), "--runroot", Path.Combine(_dir, "run"), "--storage-driver", "vfs", .. args], timeout: TimeSpan.FromMinutes(5));

    public async Task<string> OkAsync(params string[] args) => (await RunAsync(args)).EnsureSuccess("podman " + string.Join(' ', args)).Stdout;

    /// <summary>
    /// <c>podman run --rm --network none</c> with ulimits this host allows (root lacks CAP_SYS_RESOURCE here;
    /// podman's defaults ask for more, see PEERS.md).
    /// </summary>
    public Task<ProcessResult> RunContainerAsync(string image, params string[] command) =>
        RunAsync(["run", "--rm", "--network", "none", "--ulimit", "nproc=4096:4096", "--ulimit", "nofile=1024:1024", image, .. command]);

    public void Dispose()
    {
        foreach (var line in File.ReadAllLines("/proc/self/mounts").Reverse())
        {
            var mountPoint = line.Split(' ')[1];
            if (mountPoint.StartsWith(_dir, StringComparison.Ordinal))
            {
                _ = Proc.RunAsync("umount", ["-l", mountPoint]).GetAwaiter().GetResult();
            }
        }

        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
