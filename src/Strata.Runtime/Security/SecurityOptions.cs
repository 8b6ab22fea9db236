using Strata.Oci;

namespace Strata.Runtime.Security;

/// <summary>
/// <c>--security-opt</c> values, docker's spellings (<c>key=value</c> or the old <c>key:value</c>):
/// <c>seccomp=unconfined|PROFILE.json</c>, <c>no-new-privileges[=true|false]</c>, <c>apparmor=PROFILE</c>,
/// <c>label=...</c> (SELinux: accepted, this host has none to apply), <c>systempaths=unconfined</c>.
/// </summary>
public static class SecurityOptions
{
    public const string InvalidCode = "SECURITY_OPT_INVALID";

    public static SecuritySettings Parse(IEnumerable<string> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = new SecuritySettings();
        var given = new List<string>();
        foreach (var raw in options)
        {
            given.Add(raw);
            var sep = raw.IndexOfAny(['=', ':']);
            var key = sep < 0 ? raw : raw[..sep];
            var value = sep < 0 ? null : raw[(sep + 1)..];
            settings = key switch
            {
                "seccomp" => settings with { Seccomp = Seccomp(value ?? string.Empty) },
                "no-new-privileges" => settings with { NoNewPrivileges = Bool(raw, value) },
                "apparmor" when !string.IsNullOrEmpty(value) => settings with { AppArmor = value },
                "label" when !string.IsNullOrEmpty(value) => settings,
                "systempaths" when value == SecuritySettings.Unconfined => settings with { UnmaskSystemPaths = true },
                _ => throw StrataException.Invalid(InvalidCode,
                    $"invalid --security-opt \"{raw}\": use seccomp=unconfined|PROFILE.json, no-new-privileges[=true|false], apparmor=PROFILE, label=..., systempaths=unconfined"),
            };
        }

        return settings with { Options = given };
    }

    private static string? Seccomp(string value)
    {
        if (value.Length == 0)
        {
            throw StrataException.Invalid(InvalidCode, "--security-opt seccomp needs a value: seccomp=unconfined or seccomp=PROFILE.json");
        }

        if (value == SecuritySettings.Unconfined)
        {
            return value;
        }

        if (value == "builtin")
        {
            return null;
        }

        string json;
        try
        {
            json = File.ReadAllText(value);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StrataException.Invalid(SeccompProfiles.InvalidCode, $"cannot read seccomp profile {value}: {e.Message}", e);
        }

        SeccompProfiles.Parse(json, value);
        return json;
    }

    private static bool Bool(string raw, string? value) => value switch
    {
        null or "true" => true,
        "false" => false,
        _ => throw StrataException.Invalid(InvalidCode, $"invalid --security-opt \"{raw}\": the value must be true or false"),
    };
}
