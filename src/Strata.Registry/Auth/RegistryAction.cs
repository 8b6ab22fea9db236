namespace Strata.Registry.Auth;

/// <summary>The actions access rules grant and tokens carry, as docker's scope strings.</summary>
public static class RegistryAction
{
    public const string Pull = "pull";
    public const string Push = "push";
    public const string Delete = "delete";

    public static IReadOnlyList<string> All { get; } = [Pull, Push, Delete];

    /// <summary>Parses "pull,push" (or "*" for all); throws on unknown actions.</summary>
    public static IReadOnlyList<string> ParseList(string value)
    {
        if (value.Trim() == "*")
        {
            return All;
        }

        var list = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
        foreach (var a in list)
        {
            if (!All.Contains(a))
            {
                throw Strata.Oci.StrataException.Invalid("ACTION_INVALID", $"unknown action {a}: use pull, push and delete");
            }
        }

        return list;
    }
}
