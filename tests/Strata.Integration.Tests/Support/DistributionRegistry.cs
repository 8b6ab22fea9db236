namespace Strata.Integration.Tests.Support;

/// <summary>
/// The CNCF distribution registry (<c>docker-registry serve config.yml</c>) on 127.0.0.1 and a random port,
/// plain HTTP, storage in a temp dir, delete enabled (PEERS.md); optional htpasswd Basic auth.
/// </summary>
public sealed class DistributionRegistry : IAsyncDisposable
{
    private readonly string _dir;
    private ServedProcess _process;

    private DistributionRegistry(string dir, int port, ServedProcess process)
    {
        _dir = dir;
        Port = port;
        _process = process;
    }

    public int Port { get; }

    public string Host => $"127.0.0.1:{Port}";

    public Uri BaseUri => new($"http://{Host}/");

    public string StorageDir => Path.Combine(_dir, "storage");

    public static async Task<DistributionRegistry> StartAsync()
    {
        var dir = Directory.CreateTempSubdirectory("strata-distribution-").FullName;
        var port = Fixtures.FreePort();
        var config = Path.Combine(dir, "config.yml");
        var storage = Path.Combine(dir, "storage");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: error
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {storage}
              delete:
                enabled: true
              cache:
                blobdescriptor: inmemory
            http:
              addr: 127.0.0.1:{port}
            """);
        var process = ServedProcess.Start("docker-registry", ["serve", config]);
        var registry = new DistributionRegistry(dir, port, process);
        await process.WaitForHttpAsync(new Uri(registry.BaseUri, "v2/"));
        return registry;
    }

    /// <summary>Stops the registry (the pull-through cache tests take the upstream away).</summary>
    public Task StopAsync() => _process.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
