using System.Globalization;

namespace Strata.Integration.Tests.Support;

/// <summary>Registry replicas on shared backends and HAProxy (Debian's, round-robin per request) in front of them.</summary>
public sealed class ReplicaSet : IAsyncDisposable
{
    private readonly string _dir;
    private ServedProcess? _haproxy;

    private ReplicaSet(string dir, IReadOnlyList<StrataRegistry> replicas, string[] backendFlags, int port)
    {
        _dir = dir;
        Replicas = replicas;
        BackendFlags = backendFlags;
        Port = port;
    }

    public IReadOnlyList<StrataRegistry> Replicas { get; }

    /// <summary><c>--metadata ... --blob-store ... --s3-...</c>: what admin commands (gc, migrate) take to reach the same backends.</summary>
    public string[] BackendFlags { get; }

    public int Port { get; }

    /// <summary>The balancer, <c>127.0.0.1:PORT</c>.</summary>
    public string Host => $"127.0.0.1:{Port}";

    public Uri BaseUri => new($"http://{Host}/");

    public static async Task<ReplicaSet> StartAsync(StrataBinary strata, string[] backendFlags, int count, string[] extraServeFlags)
    {
        var dir = Directory.CreateTempSubdirectory("strata-replicas-").FullName;
        var key = Path.Combine(dir, "token-key.pem");
        var replicas = new List<StrataRegistry>();
        for (var i = 1; i <= count; i++)
        {
            replicas.Add(await StrataRegistry.StartAsync(strata, Path.Combine(dir, $"replica{i}"), null, [.. backendFlags, "--token-key", key, .. extraServeFlags]));
        }

        var set = new ReplicaSet(dir, replicas, backendFlags, Fixtures.FreePort());
        await set.StartBalancerAsync();
        return set;
    }

    public async ValueTask DisposeAsync()
    {
        if (_haproxy is not null)
        {
            await _haproxy.DisposeAsync();
        }

        foreach (var r in Replicas)
        {
            await r.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task StartBalancerAsync()
    {
        var config = Path.Combine(_dir, "haproxy.cfg");
        var servers = string.Join('\n', Replicas.Select((r, i) =>
            $"    server r{i + 1} {r.Host} check inter 500ms fall 2 rise 2"));
        await File.WriteAllTextAsync(config, $"""
            global
                maxconn 2000
            defaults
                mode http
                timeout connect 2s
                timeout client 300s
                timeout server 300s
                retries 3
                option redispatch
                retry-on conn-failure empty-response response-timeout
            frontend registry
                bind 127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}
                default_backend replicas
            backend replicas
                balance roundrobin
                option httpchk GET /readyz
            {servers}

            """);
        _haproxy = ServedProcess.Start("haproxy", ["-f", config, "-db"]);
        await _haproxy.WaitForHttpAsync(new Uri(BaseUri, "v2/"));
    }
}
