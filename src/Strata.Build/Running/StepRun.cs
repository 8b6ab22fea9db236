namespace Strata.Build.Running;

/// <summary>
/// One RUN step: run <see cref="Args"/> with <see cref="Env"/>, <see cref="WorkingDir"/> and <see cref="User"/>
/// in the root filesystem mounted at <see cref="RootfsDir"/>, with network <c>none</c> or <c>host</c>,
/// streaming stdout and stderr to <see cref="Output"/>.
/// </summary>
public sealed record StepRun
{
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

    public required Stream Output { get; init; }
}
