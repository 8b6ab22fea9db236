namespace Strata.Runtime.Security;

/// <summary>The OCI runtime spec's <c>LinuxSyscall</c>.</summary>
public sealed record OciSyscall
{
    public required IReadOnlyList<string> Names { get; init; }

    public required string Action { get; init; }

    public uint? ErrnoRet { get; init; }

    public IReadOnlyList<SeccompArg>? Args { get; init; }
}
