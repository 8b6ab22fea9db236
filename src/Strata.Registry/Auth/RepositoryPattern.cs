using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Strata.Registry.Auth;

/// <summary>
/// Matches repository names against rule patterns: <c>*</c> matches within one path segment,
/// <c>**</c> matches across segments (<c>team-a/**</c> = everything under team-a, <c>**</c> = all).
/// </summary>
public static class RepositoryPattern
{
    private static readonly ConcurrentDictionary<string, Regex> Cache = new(StringComparer.Ordinal);

    public static bool Matches(string pattern, string repository) =>
        pattern == repository || Cache.GetOrAdd(pattern, Compile).IsMatch(repository);

    /// <summary>Checks a pattern is usable; returns an error message or null.</summary>
    public static string? Validate(string pattern) =>
        string.IsNullOrWhiteSpace(pattern) ? "empty repository pattern"
        : pattern.Any(ch => !(char.IsAsciiLetterLower(ch) || char.IsAsciiDigit(ch) || ch is '*' or '/' or '.' or '_' or '-')) ? $"invalid repository pattern {pattern}: use lowercase names, '/', '*' and '**'"
        : null;

    private static Regex Compile(string pattern)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '*')
            {
                if (i + 1 < pattern.Length && pattern[i + 1] == '*')
                {
                    sb.Append(".*");
                    i++;
                }
                else
                {
                    sb.Append("[^/]*");
                }
            }
            else
            {
                sb.Append(Regex.Escape(pattern[i].ToString()));
            }
        }

        sb.Append('$');
        return new Regex(sb.ToString(), RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
    }
}
