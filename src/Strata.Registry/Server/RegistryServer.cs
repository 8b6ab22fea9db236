using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Strata.Oci;
using Strata.Registry.Api;
using Strata.Registry.Auth;
using Strata.Registry.Blobs;
using Strata.Registry.Maintenance;
using Strata.Registry.Metadata;
using Strata.Registry.Operations;
using Strata.Registry.Ui;

namespace Strata.Registry.Server;

/// <summary>
/// The registry on Kestrel: the distribution API under /v2/, the token service at /token, the web
/// UI at /ui/, /healthz, /readyz and /metrics. Built with the slim (NativeAOT-safe) host.
/// </summary>
public sealed partial class RegistryServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _gcLoop;
    private AccessLog? _accessLog;

    private RegistryServer(WebApplication app, RegistryServerOptions options, RegistryMetadata metadata, IRegistryBlobStore blobs, Authenticator auth, RegistryMetrics metrics)
    {
        _app = app;
        Options = options;
        Metadata = metadata;
        Blobs = blobs;
        Auth = auth;
        Metrics = metrics;
    }

    public RegistryServerOptions Options { get; }

    public RegistryMetadata Metadata { get; }

    public IRegistryBlobStore Blobs { get; }

    public Authenticator Auth { get; }

    public RegistryMetrics Metrics { get; }

    /// <summary>The bound address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Address { get; private set; } = new("http://127.0.0.1/");

    public static async Task<RegistryServer> StartAsync(RegistryServerOptions options, ILoggerProvider? logs = null, CancellationToken cancellationToken = default)
    {
        var tls = options.TlsCertificate is not null || options.TlsKey is not null;
        if (tls && (options.TlsCertificate is null || options.TlsKey is null))
        {
            throw StrataException.Invalid("TLS_INCOMPLETE", "--tls-cert and --tls-key go together");
        }

        if (!tls && !options.InsecureHttp)
        {
            throw StrataException.Invalid("TLS_REQUIRED", "the registry serves TLS: give --tls-cert and --tls-key, or --insecure-http for plain HTTP");
        }

        if (options.AuthMode is not ("basic" or "token"))
        {
            throw StrataException.Invalid("AUTH_MODE", $"unknown auth mode {options.AuthMode}: use basic or token");
        }

        var (host, port) = ParseAddress(options.Address);
        X509Certificate2? certificate = null;
        if (tls)
        {
            try
            {
                certificate = X509Certificate2.CreateFromPemFile(options.TlsCertificate!, options.TlsKey!);
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
            {
                throw StrataException.Invalid("TLS_CERT", $"cannot load the TLS certificate: {e.Message}", e);
            }
        }

        Directory.CreateDirectory(options.Root);
        var (store, content) = await RegistryBackends.OpenAsync(options.Metadata, options.BlobStore, options.S3, options.Root, cancellationToken).ConfigureAwait(false);
        var policy = new AccessPolicy(store, options.AnonymousPull);
        await policy.RefreshAsync(cancellationToken, force: true).ConfigureAwait(false);
        var tokens = options.AuthMode == "token"
            ? TokenService.LoadOrCreate(options.TokenKey ?? Path.Combine(options.Root, "token-key.pem"), "strata-registry", options.TokenLifetime)
            : null;
        var auth = new Authenticator(policy, tokens);
        var metrics = new RegistryMetrics();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.ShutdownTimeout);
        if (tls)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
        }

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 4 * 1024 * 1024;
            k.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(30);
            k.Limits.KeepAliveTimeout = TimeSpan.FromMinutes(2);
            k.Limits.MaxRequestHeadersTotalSize = 64 * 1024;
            k.Limits.MinRequestBodyDataRate = new Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate(240, TimeSpan.FromSeconds(30));
            k.Listen(host, port, l =>
            {
                l.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1AndHttp2;
                if (certificate is not null)
                {
                    l.UseHttps(certificate);
                }
            });
        });

        var app = builder.Build();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Strata.Registry");
        var server = new RegistryServer(app, options, store, content, auth, metrics);
        var api = new DistributionApi(store, content, auth, options.Upstream, log, options.Redirect);
        var accessLog = options.AccessLog is { } accessLogOutput ? new AccessLog(accessLogOutput) : null;
        server._accessLog = accessLog;
        app.Use(async (ctx, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            await next(ctx).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(started);
            var endpoint = ctx.Items.TryGetValue("strata.endpoint", out var e) && e is string s ? s : Classify(ctx.Request.Path);
            metrics.Record(ctx.Request.Method, endpoint, ctx.Response.StatusCode, elapsed, ctx.Request.ContentLength ?? 0, ctx.Response.ContentLength ?? 0);
            if (accessLog is not null)
            {
                WriteAccessLog(accessLog, ctx, elapsed);
            }
        });
        app.Use((ctx, next) => ctx.Request.Path.StartsWithSegments("/v2", StringComparison.Ordinal) ? api.HandleAsync(ctx) : next(ctx));
        app.MapGet("/healthz", ctx => ctx.Response.WriteAsync("ok\n", ctx.RequestAborted));
        app.MapGet("/readyz", server.ReadyAsync);
        app.MapGet("/metrics", server.MetricsAsync);
        app.MapGet("/token", server.TokenAsync);
        app.MapPost("/token", server.TokenAsync);
        if (options.Ui)
        {
            var key = LoadOrCreateKey(Path.Combine(options.Root, "ui-session.key"));
            app.MapRegistryUi(new RegistryUiData(store, content, auth), new UiSessionSigner(key), new RegistryUiAdmin(store, content, policy, options.Gc));
            app.MapGet("/", ctx =>
            {
                ctx.Response.Redirect("/ui/");
                return Task.CompletedTask;
            });
        }

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Address = new Uri(bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal) + "/");
        if (options.GcInterval is { } every)
        {
            server._gcLoop = server.GcLoopAsync(every, log);
        }

        return server;
    }

    /// <summary>Blocks until shutdown is requested (Ctrl-C / SIGTERM via the token).</summary>
    public async Task WaitForShutdownAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_gcLoop is not null)
        {
            try
            {
                await _gcLoop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        if (_accessLog is not null)
        {
            await _accessLog.DisposeAsync().ConfigureAwait(false);
        }

        Auth.Tokens?.Dispose();
        await Blobs.DisposeAsync().ConfigureAwait(false);
        await Metadata.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task GcLoopAsync(TimeSpan every, ILogger log)
    {
        using var timer = new PeriodicTimer(every);
        var gc = new GarbageCollector(Metadata, Blobs);
        while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
        {
            try
            {
                var report = await gc.RunAsync(Options.Gc, _stopping.Token).ConfigureAwait(false);
                LogGc(log, report.BlobsDeleted.Count, report.BytesFreed, report.ManifestsDeleted.Count, report.TagsDeleted.Count);
            }
            catch (StrataException e) when (e.Code == GarbageCollector.Running)
            {
                // Another replica (or `strata registry gc`) is collecting: its sweep covers this one.
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogGcFailed(log, e);
            }
        }
    }

    private async Task ReadyAsync(HttpContext ctx)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await Metadata.CheckAsync(timeout.Token).ConfigureAwait(false);
            await Blobs.CheckAsync(timeout.Token).ConfigureAwait(false);
            await ctx.Response.WriteAsync("ready\n", ctx.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (!ctx.RequestAborted.IsCancellationRequested && e is StrataException or IOException or System.Data.Common.DbException or OperationCanceledException or TimeoutException)
        {
            ctx.Response.StatusCode = 503;
            await ctx.Response.WriteAsync($"not ready: {e.Message}\n", ctx.RequestAborted).ConfigureAwait(false);
        }
    }

    private async Task MetricsAsync(HttpContext ctx)
    {
        var (blobs, bytes, repos, uploads) = await Metadata.Gc.StatsAsync(ctx.RequestAborted).ConfigureAwait(false);
        ctx.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        await ctx.Response.WriteAsync(Metrics.Render(blobs, bytes, repos, uploads), ctx.RequestAborted).ConfigureAwait(false);
    }

    private static string Classify(PathString path) =>
        path.StartsWithSegments("/ui", StringComparison.Ordinal) ? "ui"
        : path.StartsWithSegments("/token", StringComparison.Ordinal) ? "token"
        : "other";

    private static void WriteAccessLog(AccessLog writer, HttpContext ctx, TimeSpan elapsed)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("time", DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("remote", ctx.Connection.RemoteIpAddress?.ToString());
            w.WriteString("method", ctx.Request.Method);
            w.WriteString("path", ctx.Request.Path.Value);
            w.WriteNumber("status", ctx.Response.StatusCode);
            w.WriteNumber("duration_ms", Math.Round(elapsed.TotalMilliseconds, 2));
            if (ctx.Request.ContentLength is { } inBytes)
            {
                w.WriteNumber("bytes_in", inBytes);
            }

            if (ctx.Response.ContentLength is { } outBytes)
            {
                w.WriteNumber("bytes_out", outBytes);
            }

            w.WriteString("user_agent", ctx.Request.Headers.UserAgent.ToString());
            w.WriteEndObject();
        }

        writer.Write(System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    internal static (IPAddress Host, int Port) ParseAddress(string address)
    {
        var colon = address.LastIndexOf(':');
        var hostText = colon < 0 ? address : address[..colon];
        var portText = colon < 0 ? "5000" : address[(colon + 1)..];
        if (!int.TryParse(portText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw StrataException.Invalid("ADDRESS_INVALID", $"invalid listen address {address}: expected HOST:PORT");
        }

        hostText = hostText.Trim('[', ']');
        var host = hostText is "" or "*" ? IPAddress.Any
            : hostText == "localhost" ? IPAddress.Loopback
            : IPAddress.TryParse(hostText, out var ip) ? ip
            : throw StrataException.Invalid("ADDRESS_INVALID", $"invalid listen address {address}: give an IP address");
        return (host, port);
    }

    private static byte[] LoadOrCreateKey(string path)
    {
        if (File.Exists(path))
        {
            return File.ReadAllBytes(path);
        }

        var key = RandomNumberGenerator.GetBytes(32);
        var tmp = path + ".tmp";
        File.WriteAllBytes(tmp, key);
        File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(tmp, path, overwrite: true);
        return key;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "gc: {Blobs} blobs ({Bytes} bytes), {Manifests} manifests, {Tags} tags removed")]
    private static partial void LogGc(ILogger logger, int blobs, long bytes, int manifests, int tags);

    [LoggerMessage(Level = LogLevel.Error, Message = "gc failed")]
    private static partial void LogGcFailed(ILogger logger, Exception exception);
}
