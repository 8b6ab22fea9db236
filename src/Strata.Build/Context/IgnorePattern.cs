using System.Text;
using System.Text.RegularExpressions;

namespace Strata.Build.Context;

/// <summary>
/// One .dockerignore pattern compiled as moby/patternmatcher does: <c>*</c> and <c>?</c> never cross a
/// <c>/</c>, <c>**</c> spans any number of directories (including none), and a pattern also matches
/// everything under a directory it matches.
/// </summary>
public sealed class IgnorePattern
{
    private readonly Regex _regex;

    public IgnorePattern(string text, bool exclusion)
    {
        Text = text;
        Exclusion = exclusion;
        // Linear-time matching: "a/**/**/**/.../x" compiles to nested "(.*/)?" groups that a backtracking engine
        // takes exponential time over (a hostile .dockerignore hung the build; found by fuzz/, target dockerignore).
        _regex = new Regex(Compile(text), RegexOptions.CultureInvariant | RegexOptions.Singleline | RegexOptions.NonBacktracking);
    }

    /// <summary>The cleaned pattern (leading <c>/</c> and <c>./</c> removed).</summary>
    public string Text { get; }

    /// <summary>True for <c>!pattern</c>: a match re-includes the path.</summary>
    public bool Exclusion { get; }

    public bool IsMatch(string path) => _regex.IsMatch(path);

    private static string Compile(string pattern)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var ch = pattern[i];
            if (ch == '*')
            {
                if (i + 1 < pattern.Length && pattern[i + 1] == '*')
                {
                    i++;
                    if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                    {
                        i++;
                    }

                    sb.Append(i + 1 >= pattern.Length ? ".*" : "(.*/)?");
                }
                else
                {
                    sb.Append("[^/]*");
                }
            }
            else if (ch == '?')
            {
                sb.Append("[^/]");
            }
            else if (ch == '[')
            {
                var end = pattern.IndexOf(']', i + 2 <= pattern.Length ? i + 1 : i);
                if (end < 0)
                {
                    throw new FormatException($"syntax error in pattern: {pattern}");
                }

                var cls = pattern[(i + 1)..end];
                if (cls.StartsWith('^'))
                {
                    cls = "^" + cls[1..].Replace("\\", "\\\\", StringComparison.Ordinal);
                }
                else
                {
                    cls = cls.Replace("\\", "\\\\", StringComparison.Ordinal);
                }

                sb.Append('[').Append(cls).Append(']');
                i = end;
            }
            else if (ch == '\\')
            {
                if (i + 1 >= pattern.Length)
                {
                    throw new FormatException($"syntax error in pattern: {pattern}");
                }

                i++;
                sb.Append(Regex.Escape(pattern[i].ToString()));
            }
            else
            {
                sb.Append(Regex.Escape(ch.ToString()));
            }
        }

        // A pattern that matches a directory matches everything below it.
        sb.Append("(/.*)?$");
        return sb.ToString();
    }
}
