namespace Strata.Runtime.Security;

/// <summary>A syscall argument comparison (the OCI runtime spec's <c>LinuxSeccompArg</c>).</summary>
public sealed record SeccompArg
{
    public uint Index { get; init; }

    public ulong Value { get; init; }

    public ulong? ValueTwo { get; init; }

    public string Op { get; init; } = string.Empty;
}
