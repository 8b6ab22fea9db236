namespace Strata.Runtime.Security;

/// <summary>
/// A seccomp profile in Docker's format (what <c>--security-opt seccomp=FILE</c> and moby's default.json hold):
/// the OCI runtime spec's <c>linux.seccomp</c> plus an architecture map and rules that apply only for some
/// capabilities, architectures or kernel versions. <see cref="SeccompProfiles.ToOci"/> resolves it per container.
/// </summary>
public sealed record SeccompProfile
{
    public string? DefaultAction { get; init; }

    public uint? DefaultErrnoRet { get; init; }

    /// <summary>Explicit architectures (the OCI form); a profile has either this or <see cref="ArchMap"/>.</summary>
    public IReadOnlyList<string>? Architectures { get; init; }

    public IReadOnlyList<SeccompArchitecture>? ArchMap { get; init; }

    public IReadOnlyList<string>? Flags { get; init; }

    public string? ListenerPath { get; init; }

    public string? ListenerMetadata { get; init; }

    public IReadOnlyList<SeccompRule>? Syscalls { get; init; }
}
