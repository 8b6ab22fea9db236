using Strata.Oci;

namespace Strata.Registry.Auth;

/// <summary>Who an access rule applies to: <c>user:NAME</c>, <c>group:NAME</c>, <c>authenticated</c>, <c>anonymous</c>.</summary>
public static class AccessSubject
{
    /// <summary>Throws InvalidArgument unless <paramref name="subject"/> is a valid rule subject.</summary>
    public static void Check(string subject)
    {
        if (subject is "anonymous" or "authenticated")
        {
            return;
        }

        if (subject.StartsWith("user:", StringComparison.Ordinal))
        {
            Passwords.CheckUserName(subject[5..]);
            return;
        }

        if (subject.StartsWith("group:", StringComparison.Ordinal))
        {
            Passwords.CheckUserName(subject[6..]);
            return;
        }

        throw StrataException.Invalid("SUBJECT_INVALID", $"invalid subject {subject}: use user:NAME, group:NAME, authenticated or anonymous");
    }

    /// <summary>Throws InvalidArgument unless <paramref name="pattern"/> is a valid repository pattern.</summary>
    public static void CheckPattern(string pattern)
    {
        if (RepositoryPattern.Validate(pattern) is { } error)
        {
            throw StrataException.Invalid("PATTERN_INVALID", error);
        }
    }
}
