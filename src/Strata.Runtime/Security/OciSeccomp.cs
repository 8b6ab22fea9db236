namespace Strata.Runtime.Security;

/// <summary>The OCI runtime spec's <c>linux.seccomp</c>, resolved for one container.</summary>
public sealed record OciSeccomp
{
    public required string DefaultAction { get; init; }

    public uint? DefaultErrnoRet { get; init; }

    public IReadOnlyList<string>? Architectures { get; init; }

    public IReadOnlyList<string>? Flags { get; init; }

    public string? ListenerPath { get; init; }

    public string? ListenerMetadata { get; init; }

    public IReadOnlyList<OciSyscall> Syscalls { get; init; } = [];
}
