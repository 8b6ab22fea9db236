namespace Strata.Runtime.Security;

/// <summary>
/// When a rule applies: <c>includes</c> needs all of it to hold (every capability held, the architecture listed,
/// the kernel at least <see cref="MinKernel"/>); <c>excludes</c> drops the rule when any of it holds.
/// </summary>
public sealed record SeccompRuleFilter
{
    public IReadOnlyList<string>? Caps { get; init; }

    /// <summary>libseccomp's native names: amd64, x86, x32, arm64, arm, s390x, ...</summary>
    public IReadOnlyList<string>? Arches { get; init; }

    /// <summary><c>"kernel.major"</c>, e.g. <c>"4.8"</c>.</summary>
    public string? MinKernel { get; init; }
}
