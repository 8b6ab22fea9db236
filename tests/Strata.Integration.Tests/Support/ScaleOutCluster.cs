using Strata.Registry.Tests.Backends;

namespace Strata.Integration.Tests.Support;

/// <summary>
/// docs/scale-out.md on one machine: PostgreSQL and radosgw (started once for the collection), three
/// <c>strata registry serve</c> replicas on the same database, bucket and token key, and HAProxy in
/// front of them with round-robin per request. Every test gets a fresh database and bucket
/// (<see cref="StartAsync"/>).
/// </summary>
public sealed class ScaleOutCluster : IAsyncLifetime
{
    private readonly Lazy<Task<PostgresServer>> _postgres = new(PostgresServer.StartAsync);
    private readonly Lazy<Task<S3Server>> _s3 = new(S3Server.StartAsync);

    public ScaleOutCluster()
    {
        foreach (var key in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(k => k.StartsWith("AWS_", StringComparison.Ordinal)))
        {
            Environment.SetEnvironmentVariable(key, null);
        }
    }

    public Task<PostgresServer> PostgresAsync() => _postgres.Value;

    public Task<S3Server> S3Async() => _s3.Value;

    /// <summary>The <c>--metadata</c>, <c>--blob-store</c> and S3 flags of a new, empty database and bucket.</summary>
    public async Task<string[]> NewBackendFlagsAsync()
    {
        var pg = await PostgresAsync();
        var s3 = await S3Async();
        return
        [
            "--metadata", await pg.CreateDatabaseAsync(),
            "--blob-store", await s3.CreateBucketAsync(),
            "--s3-endpoint", s3.Settings.Endpoint!, "--s3-access-key", s3.Settings.AccessKey!, "--s3-secret-key", s3.Settings.SecretKey!,
            "--s3-region", s3.Settings.Region!,
        ];
    }

    /// <summary>Three replicas on fresh backends behind a new HAProxy.</summary>
    public async Task<ReplicaSet> StartAsync(StrataBinary strata, int replicas = 3, params string[] extraServeFlags)
    {
        var flags = await NewBackendFlagsAsync();
        return await ReplicaSet.StartAsync(strata, flags, replicas, extraServeFlags);
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
