namespace Strata.Registry.Blobs;

/// <summary>
/// How to reach an S3 blob store. Each value comes from a flag, else the config file, else the
/// standard AWS environment variables (<c>AWS_ENDPOINT_URL_S3</c>/<c>AWS_ENDPOINT_URL</c>,
/// <c>AWS_REGION</c>/<c>AWS_DEFAULT_REGION</c>, <c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c>,
/// <c>AWS_SESSION_TOKEN</c>); see <see cref="WithEnvironment"/>.
/// </summary>
public sealed record S3Settings
{
    /// <summary>Service URL of an S3-compatible server (radosgw, MinIO); null for AWS itself.</summary>
    public string? Endpoint { get; init; }

    public string? Region { get; init; }

    public string? AccessKey { get; init; }

    public string? SecretKey { get; init; }

    public string? SessionToken { get; init; }

    /// <summary>Path-style addressing (<c>endpoint/bucket/key</c>), which most S3-compatible servers want.</summary>
    public bool? PathStyle { get; init; }

    /// <summary>Fills what is unset from the AWS environment variables.</summary>
    public S3Settings WithEnvironment(Func<string, string?>? env = null)
    {
        env ??= Environment.GetEnvironmentVariable;
        return this with
        {
            Endpoint = Endpoint ?? env("AWS_ENDPOINT_URL_S3") ?? env("AWS_ENDPOINT_URL"),
            Region = Region ?? env("AWS_REGION") ?? env("AWS_DEFAULT_REGION"),
            AccessKey = AccessKey ?? env("AWS_ACCESS_KEY_ID"),
            SecretKey = SecretKey ?? env("AWS_SECRET_ACCESS_KEY"),
            SessionToken = SessionToken ?? env("AWS_SESSION_TOKEN"),
        };
    }
}
