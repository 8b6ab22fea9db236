using Strata.Oci;

namespace Strata.Registry.Auth;

/// <summary>bcrypt hashing for registry users, and the checks on names and htpasswd lines.</summary>
public static class Passwords
{
    public const int WorkFactor = 10;

    public static string Hash(string password)
    {
        if (string.IsNullOrEmpty(password))
        {
            throw StrataException.Invalid("PASSWORD_EMPTY", "the password must not be empty");
        }

        return BCrypt.Net.BCrypt.HashPassword(password, WorkFactor);
    }

    /// <summary>Throws unless <paramref name="name"/> is a usable user name (letters, digits, . _ - @).</summary>
    public static void CheckUserName(string name)
    {
        if (name.Length is 0 or > 64 || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@')))
        {
            throw StrataException.Invalid("USER_INVALID", $"invalid user name \"{name}\": use letters, digits, '.', '_', '-', '@' (at most 64)");
        }
    }

    /// <summary>True when <paramref name="hash"/> is a bcrypt hash ($2a$, $2b$, $2y$), the only htpasswd format accepted.</summary>
    public static bool IsBcrypt(string hash) =>
        hash.Length == 60 && (hash.StartsWith("$2a$", StringComparison.Ordinal) || hash.StartsWith("$2b$", StringComparison.Ordinal) || hash.StartsWith("$2y$", StringComparison.Ordinal));
}
