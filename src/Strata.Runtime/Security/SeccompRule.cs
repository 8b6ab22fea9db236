namespace Strata.Runtime.Security;

/// <summary>A group of syscalls with one action, optionally conditional on capabilities, architecture or kernel.</summary>
public sealed record SeccompRule
{
    public IReadOnlyList<string>? Names { get; init; }

    /// <summary>Old single-name form, still accepted by docker.</summary>
    public string? Name { get; init; }

    public string Action { get; init; } = string.Empty;

    public uint? ErrnoRet { get; init; }

    public IReadOnlyList<SeccompArg>? Args { get; init; }

    public string? Comment { get; init; }

    public SeccompRuleFilter? Includes { get; init; }

    public SeccompRuleFilter? Excludes { get; init; }
}
