using Strata.Runtime.Bundles;

namespace Strata.Build.Running;

/// <summary>
/// One RUN step: run <see cref="Args"/> with <see cref="Env"/>, <see cref="WorkingDir"/> and <see cref="User"/>
/// in the root filesystem mounted at <see cref="RootfsDir"/>, with network <c>none</c> or <c>host</c> and the
/// step's <c>--mount</c>s, streaming stdout and stderr to <see cref="Output"/>.
/// </summary>
public sealed record StepRun
{
    /// <summary>64 hex characters; the runtime's container ID is made from its first 12.</summary>
    public required string Id { get; init; }

    public required string RootfsDir { get; init; }

    public required IReadOnlyList<string> Args { get; init; }

    public IReadOnlyList<string> Env { get; init; } = [];

    public string WorkingDir { get; init; } = "/";

    /// <summary><c>user</c>, <c>uid</c>, <c>user:group</c> or <c>uid:gid</c> as USER takes it; null is root.</summary>
    public string? User { get; init; }

    /// <summary><c>none</c> or <c>host</c>.</summary>
    public string Network { get; init; } = "host";

    public string Hostname { get; init; } = "strata-build";

    /// <summary><c>RUN --mount</c>s, host side resolved; their targets are created for the run and removed after when they were missing.</summary>
    public IReadOnlyList<BundleMount> Mounts { get; init; } = [];

    /// <summary><c>RUN --security=insecure</c> (allowed with <c>--allow security.insecure</c>): a privileged container.</summary>
    public bool Insecure { get; init; }

    public required Stream Output { get; init; }
}
