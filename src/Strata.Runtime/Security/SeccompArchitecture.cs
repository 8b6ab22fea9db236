namespace Strata.Runtime.Security;

/// <summary>One <c>archMap</c> entry: a native architecture and the sub-architectures its filter also covers.</summary>
public sealed record SeccompArchitecture
{
    public string Architecture { get; init; } = string.Empty;

    public IReadOnlyList<string>? SubArchitectures { get; init; }
}
