namespace Strata.Engine;

/// <summary>Where the store lives and which drivers to use; from flags, environment and defaults.</summary>
public sealed record EngineOptions
{
    public const string DefaultRoot = "/var/lib/strata";

    /// <summary>Store root: <c>--root</c>, else <c>STRATA_ROOT</c>, else <c>/var/lib/strata</c>.</summary>
    public string Root { get; init; } = DefaultRoot;

    /// <summary><c>overlay</c> (default) or <c>vfs</c>; null picks overlay when the host supports it.</summary>
    public string? StorageDriver { get; init; }

    /// <summary>OCI runtime: <c>crun</c> (default) or <c>runc</c>, or a path.</summary>
    public string? Runtime { get; init; }

    public static EngineOptions FromEnvironment(string? root, string? storageDriver, string? runtime) => new()
    {
        Root = root ?? Environment.GetEnvironmentVariable("STRATA_ROOT") ?? DefaultRoot,
        StorageDriver = storageDriver ?? Environment.GetEnvironmentVariable("STRATA_STORAGE_DRIVER"),
        Runtime = runtime ?? Environment.GetEnvironmentVariable("STRATA_RUNTIME"),
    };
}
