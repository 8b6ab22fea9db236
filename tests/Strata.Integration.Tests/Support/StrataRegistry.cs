namespace Strata.Integration.Tests.Support;

/// <summary>
/// <c>strata registry serve</c> as a process on 127.0.0.1 and a random port, with its own data directory (kept
/// across <see cref="RestartAsync"/> so crash tests can start it again on the same data).
/// </summary>
public sealed class StrataRegistry : IAsyncDisposable
{
    private readonly StrataBinary _strata;
    private readonly string[] _extraArgs;
    private ServedProcess? _process;

    private StrataRegistry(StrataBinary strata, string dataDir, int port, bool tls, string[] extraArgs)
    {
        _strata = strata;
        DataDir = dataDir;
        Port = port;
        Tls = tls;
        _extraArgs = extraArgs;
    }

    public string DataDir { get; }

    public int Port { get; }

    public bool Tls { get; }

    /// <summary><c>127.0.0.1:PORT</c>, as image references name it.</summary>
    public string Host => $"127.0.0.1:{Port}";

    public Uri BaseUri => new($"{(Tls ? "https" : "http")}://{Host}/");

    public ServedProcess Process => _process ?? throw new InvalidOperationException("not started");

    /// <summary>
    /// Starts the server. <paramref name="tlsCertAndKey"/> serves TLS, else plain HTTP; <paramref name="extraArgs"/>
    /// are more serve flags (<c>--auth token</c>, <c>--proxy-upstream URL</c>).
    /// </summary>
    public static async Task<StrataRegistry> StartAsync(StrataBinary strata, string? dataDir = null, (string Cert, string Key)? tlsCertAndKey = null, params string[] extraArgs)
    {
        var dir = dataDir ?? Path.Combine(strata.Root, "registry-data");
        Directory.CreateDirectory(dir);
        var tls = tlsCertAndKey is not null;
        string[] args = tls
            ? [.. extraArgs, "--tls-cert", tlsCertAndKey!.Value.Cert, "--tls-key", tlsCertAndKey.Value.Key]
            : [.. extraArgs, "--insecure-http"];
        var registry = new StrataRegistry(strata, dir, Fixtures.FreePort(), tls, args);
        await registry.RestartAsync();
        return registry;
    }

    /// <summary>Starts (again) on the same port and data directory.</summary>
    public async Task RestartAsync()
    {
        if (_process is { HasExited: false })
        {
            throw new InvalidOperationException("still running");
        }

        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        _process = ServedProcess.Start(StrataBinary.Path, ["--root", _strata.Root, "registry", "serve", "--data-dir", DataDir, "--addr", Host, "--no-access-log", .. _extraArgs]);
        await _process.WaitForHttpAsync(new Uri(BaseUri, "v2/"));
    }

    /// <summary><c>strata registry ARGS --data-dir DIR</c> (user, access, gc, quota) on this registry's data.</summary>
    public Task<ProcessResult> AdminAsync(string? stdin, params string[] args) =>
        _strata.RunAsync(["registry", "--data-dir", DataDir, .. args], stdin);

    public async Task<string> AdminOkAsync(params string[] args) =>
        (await AdminAsync(null, args)).EnsureSuccess("strata registry " + string.Join(' ', args)).Stdout;

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}
