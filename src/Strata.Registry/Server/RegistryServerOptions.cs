using Strata.Registry.Maintenance;
using Strata.Registry.Proxy;

namespace Strata.Registry.Server;

/// <summary>How <c>strata registry serve</c> runs (flags and the JSON config file map onto this).</summary>
public sealed record RegistryServerOptions
{
    /// <summary>Data directory: <c>registry.db</c>, <c>content/</c> (blobs and upload ingests), keys.</summary>
    public required string Root { get; init; }

    /// <summary>Metadata store: null (<c>ROOT/registry.db</c>), <c>sqlite:PATH</c> or <c>postgres://...</c>.</summary>
    public string? Metadata { get; init; }

    /// <summary>Blob store: null (<c>ROOT/content</c>), <c>fs:DIR</c> or <c>s3://BUCKET[/prefix]</c>.</summary>
    public string? BlobStore { get; init; }

    /// <summary>Endpoint, region, credentials and addressing of an S3 blob store (flags, config file, then AWS_* variables).</summary>
    public Blobs.S3Settings S3 { get; init; } = new();

    /// <summary>Answer blob GETs with a 307 to a presigned URL valid this long (S3 only; null serves the bytes).</summary>
    public TimeSpan? Redirect { get; init; }

    /// <summary>The token signing key (PEM); replicas share one. Default <c>ROOT/token-key.pem</c>, created when missing.</summary>
    public string? TokenKey { get; init; }

    /// <summary>Listen address, <c>HOST:PORT</c> (port 0 picks a free one).</summary>
    public string Address { get; init; } = "127.0.0.1:5000";

    public string? TlsCertificate { get; init; }

    public string? TlsKey { get; init; }

    /// <summary>Serve plain HTTP; required (and only allowed) without a TLS certificate.</summary>
    public bool InsecureHttp { get; init; }

    /// <summary>Let anyone pull when the registry has users.</summary>
    public bool AnonymousPull { get; init; }

    /// <summary><c>basic</c> (HTTP Basic on every request) or <c>token</c> (docker's Bearer flow via <c>/token</c>).</summary>
    public string AuthMode { get; init; } = "basic";

    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Run garbage collection this often (null: only by <c>strata registry gc</c>).</summary>
    public TimeSpan? GcInterval { get; init; }

    public GcOptions Gc { get; init; } = new();

    /// <summary>A pull-through cache of this registry when set.</summary>
    public IUpstreamRegistry? Upstream { get; init; }

    /// <summary>Where one JSON access-log line per request goes (the CLI passes its standard output); null: no access log.</summary>
    public Stream? AccessLog { get; init; }

    /// <summary>Serve the web UI under /ui/.</summary>
    public bool Ui { get; init; } = true;

    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
