using System.CommandLine;
using Strata.Registry.Blobs;
using Strata.Registry.Metadata;
using Strata.Registry.Server;

namespace Strata.Cli.Commands.Registry;

/// <summary>
/// Where the registry keeps its data: <c>--data-dir</c> (else <c>ROOT/registry</c>), and the
/// backends: <c>--metadata sqlite:PATH|postgres://...</c> and <c>--blob-store fs:DIR|s3://BUCKET[/prefix]</c>
/// with the S3 connection flags. Recursive, so every <c>strata registry</c> command takes them.
/// </summary>
public sealed class RegistryDataDir
{
    public Option<string?> Option { get; } = new("--data-dir") { Description = "Registry data directory (default <root>/registry)", Recursive = true };

    public Option<string?> Metadata { get; } = new("--metadata") { Description = "Metadata store: sqlite:PATH (default <data-dir>/registry.db) or postgres://user:password@host:port/db", Recursive = true };

    public Option<string?> BlobStore { get; } = new("--blob-store") { Description = "Blob store: fs:DIR (default <data-dir>/content) or s3://BUCKET[/prefix]", Recursive = true };

    public Option<string?> S3Endpoint { get; } = new("--s3-endpoint") { Description = "S3 endpoint URL (or AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL)", Recursive = true };

    public Option<string?> S3Region { get; } = new("--s3-region") { Description = "S3 region (or AWS_REGION; default us-east-1)", Recursive = true };

    public Option<string?> S3AccessKey { get; } = new("--s3-access-key") { Description = "S3 access key (or AWS_ACCESS_KEY_ID)", Recursive = true };

    public Option<string?> S3SecretKey { get; } = new("--s3-secret-key") { Description = "S3 secret key (or AWS_SECRET_ACCESS_KEY)", Recursive = true };

    public Option<bool?> S3PathStyle { get; } = new("--s3-path-style") { Description = "Path-style S3 addressing (default: on with --s3-endpoint)", Recursive = true };

    public void AddTo(Command command)
    {
        command.Options.Add(Option);
        command.Options.Add(Metadata);
        command.Options.Add(BlobStore);
        command.Options.Add(S3Endpoint);
        command.Options.Add(S3Region);
        command.Options.Add(S3AccessKey);
        command.Options.Add(S3SecretKey);
        command.Options.Add(S3PathStyle);
    }

    public string Resolve(ParseResult parse, GlobalOptions globals) =>
        Path.GetFullPath(parse.GetValue(Option) ?? Path.Combine(globals.EngineOptions(parse).Root, "registry"));

    /// <summary>The S3 settings from the flags, then <paramref name="file"/> (config file keys), then the AWS environment.</summary>
    public S3Settings S3(ParseResult parse, Func<string, string?>? file = null, Func<string, bool?>? fileFlag = null) => new S3Settings
    {
        Endpoint = parse.GetValue(S3Endpoint) ?? file?.Invoke("s3-endpoint"),
        Region = parse.GetValue(S3Region) ?? file?.Invoke("s3-region"),
        AccessKey = parse.GetValue(S3AccessKey) ?? file?.Invoke("s3-access-key"),
        SecretKey = parse.GetValue(S3SecretKey) ?? file?.Invoke("s3-secret-key"),
        PathStyle = parse.GetValue(S3PathStyle) ?? fileFlag?.Invoke("s3-path-style"),
    }.WithEnvironment();

    /// <summary>Opens the metadata store the flags name (safe while the server runs: SQLite WAL, PostgreSQL).</summary>
    public Task<RegistryMetadata> OpenMetadataAsync(ParseResult parse, GlobalOptions globals, CancellationToken cancellationToken)
    {
        var dir = Resolve(parse, globals);
        Directory.CreateDirectory(dir);
        return RegistryMetadata.OpenAsync(parse.GetValue(Metadata), dir, null, cancellationToken);
    }

    /// <summary>Opens and checks both backends the flags name.</summary>
    public Task<(RegistryMetadata Metadata, IRegistryBlobStore Blobs)> OpenBackendsAsync(ParseResult parse, GlobalOptions globals, CancellationToken cancellationToken)
    {
        var dir = Resolve(parse, globals);
        Directory.CreateDirectory(dir);
        return RegistryBackends.OpenAsync(parse.GetValue(Metadata), parse.GetValue(BlobStore), S3(parse), dir, cancellationToken);
    }
}
