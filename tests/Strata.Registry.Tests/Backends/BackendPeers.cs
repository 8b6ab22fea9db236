using Strata.Registry.Server;

namespace Strata.Registry.Tests.Backends;

/// <summary>
/// The heavy peers the backend tests share, each started once per test collection on first use:
/// PostgreSQL and radosgw. AWS_* variables are cleared so nothing from the machine's environment
/// changes how the S3 client behaves.
/// </summary>
public sealed class BackendPeers : IAsyncLifetime
{
    private readonly Lazy<Task<PostgresServer>> _postgres = new(PostgresServer.StartAsync);
    private readonly Lazy<Task<S3Server>> _s3 = new(S3Server.StartAsync);

    public BackendPeers()
    {
        foreach (var key in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(k => k.StartsWith("AWS_", StringComparison.Ordinal)))
        {
            Environment.SetEnvironmentVariable(key, null);
        }
    }

    public Task<PostgresServer> PostgresAsync() => _postgres.Value;

    public Task<S3Server> S3Async() => _s3.Value;

    /// <summary>Server options on <paramref name="backend"/>: a fresh database and/or bucket per call.</summary>
    public async Task<RegistryServerOptions> ConfigureAsync(RegistryServerOptions options, RegistryBackend backend)
    {
        if (backend.HasFlag(RegistryBackend.Postgres))
        {
            options = options with { Metadata = await (await PostgresAsync()).CreateDatabaseAsync() };
        }

        if (backend.HasFlag(RegistryBackend.S3))
        {
            var s3 = await S3Async();
            options = options with { BlobStore = await s3.CreateBucketAsync(), S3 = s3.Settings };
        }

        return options;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_postgres.IsValueCreated)
        {
            await (await _postgres.Value).DisposeAsync();
        }

        if (_s3.IsValueCreated)
        {
            await (await _s3.Value).DisposeAsync();
        }
    }
}
