namespace Strata.Build;

/// <summary>
/// Go's <c>path/filepath.Match</c> (the pattern language of .dockerignore and COPY sources):
/// <c>*</c> any run of non-separator characters, <c>?</c> one non-separator character,
/// <c>[a-z]</c> / <c>[^a-z]</c> classes, <c>\c</c> a literal c. With <c>separator: null</c> the
/// separator is not special (shell parameter patterns).
/// </summary>
public static class Glob
{
    /// <summary>True when <paramref name="name"/> matches the whole of <paramref name="pattern"/>; throws FormatException for a malformed pattern.</summary>
    public static bool Match(string pattern, string name, char? separator = null) => MatchAt(pattern, 0, name, 0, separator);

    /// <summary>True when the pattern has any of Go's meta characters.</summary>
    public static bool HasMeta(string pattern) => pattern.AsSpan().IndexOfAny("*?[\\") >= 0;

    /// <summary>Checks a pattern is well formed (as Go's Match reports ErrBadPattern).</summary>
    public static void Validate(string pattern)
    {
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\')
            {
                if (i + 1 >= pattern.Length)
                {
                    throw new FormatException("syntax error in pattern");
                }

                i++;
            }
            else if (pattern[i] == '[')
            {
                _ = MatchClass(pattern, i, 'x', out var end);
                i = end - 1;
            }
        }
    }

    private static bool MatchAt(string p, int pi, string s, int si, char? sep)
    {
        while (pi < p.Length)
        {
            var c = p[pi];
            if (c == '*')
            {
                // Collapse runs of stars; try every split that stays within a path element.
                while (pi < p.Length && p[pi] == '*')
                {
                    pi++;
                }

                if (pi == p.Length)
                {
                    return sep is null || s.IndexOf(sep.Value, si) < 0;
                }

                for (var k = si; k <= s.Length; k++)
                {
                    if (MatchAt(p, pi, s, k, sep))
                    {
                        return true;
                    }

                    if (k < s.Length && sep is not null && s[k] == sep.Value)
                    {
                        break;
                    }
                }

                // Still validate the rest of the pattern as Go does.
                ValidateFrom(p, pi);
                return false;
            }

            if (si >= s.Length)
            {
                ValidateFrom(p, pi);
                return false;
            }

            switch (c)
            {
                case '?':
                    if (sep is not null && s[si] == sep.Value)
                    {
                        return false;
                    }

                    pi++;
                    si++;
                    break;
                case '[':
                {
                    if (sep is not null && s[si] == sep.Value)
                    {
                        _ = MatchClass(p, pi, s[si], out _);
                        return false;
                    }

                    var ok = MatchClass(p, pi, s[si], out var end);
                    if (!ok)
                    {
                        return false;
                    }

                    pi = end;
                    si++;
                    break;
                }

                case '\\':
                    if (pi + 1 >= p.Length)
                    {
                        throw new FormatException("syntax error in pattern");
                    }

                    if (p[pi + 1] != s[si])
                    {
                        return false;
                    }

                    pi += 2;
                    si++;
                    break;
                default:
                    if (c != s[si])
                    {
                        return false;
                    }

                    pi++;
                    si++;
                    break;
            }
        }

        return si == s.Length;
    }

    private static void ValidateFrom(string p, int pi) => Validate(p[pi..]);

    // Matches a [...] class starting at p[start] == '['; end is the index after ']'.
    private static bool MatchClass(string p, int start, char ch, out int end)
    {
        var i = start + 1;
        var negate = false;
        if (i < p.Length && p[i] == '^')
        {
            negate = true;
            i++;
        }

        var matched = false;
        var count = 0;
        while (true)
        {
            if (i >= p.Length)
            {
                throw new FormatException("syntax error in pattern");
            }

            if (p[i] == ']' && count > 0)
            {
                i++;
                break;
            }

            var lo = ReadClassChar(p, ref i);
            var hi = lo;
            if (i < p.Length && p[i] == '-')
            {
                i++;
                hi = ReadClassChar(p, ref i);
                if (hi < lo)
                {
                    throw new FormatException("syntax error in pattern");
                }
            }

            if (lo <= ch && ch <= hi)
            {
                matched = true;
            }

            count++;
        }

        end = i;
        return matched != negate;
    }

    private static char ReadClassChar(string p, ref int i)
    {
        if (i >= p.Length || p[i] is '-' or ']')
        {
            throw new FormatException("syntax error in pattern");
        }

        if (p[i] == '\\')
        {
            i++;
            if (i >= p.Length)
            {
                throw new FormatException("syntax error in pattern");
            }
        }

        return p[i++];
    }
}
