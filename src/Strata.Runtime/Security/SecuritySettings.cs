namespace Strata.Runtime.Security;

/// <summary>
/// A container's <c>--security-opt</c>s, resolved at create (a profile file is read then, as docker reads it
/// client-side) and stored with the container so every start applies the same filter.
/// </summary>
public sealed record SecuritySettings
{
    /// <summary>The option strings as given (a seccomp file shown by name), for <c>inspect</c>.</summary>
    public IReadOnlyList<string> Options { get; init; } = [];

    /// <summary>Null: Docker's default profile; <see cref="Unconfined"/>: no filter; otherwise a profile's JSON text.</summary>
    public string? Seccomp { get; init; }

    public bool NoNewPrivileges { get; init; }

    /// <summary>An AppArmor profile name (used only where the host has AppArmor), or null.</summary>
    public string? AppArmor { get; init; }

    /// <summary><c>systempaths=unconfined</c>: no masked or read-only /proc and /sys paths.</summary>
    public bool UnmaskSystemPaths { get; init; }

    public const string Unconfined = "unconfined";

    /// <summary>What the container gets that differs from what was asked, for a docker-style WARNING line.</summary>
    public IEnumerable<string> Warnings()
    {
        if (AppArmor is { } profile && profile != Unconfined && !HostSecurity.AppArmorEnabled)
        {
            yield return $"AppArmor is not enabled on this host: --security-opt apparmor={profile} is not applied";
        }
    }
}
