using System.Text;

namespace Strata.Build.Parsing;

/// <summary>
/// Docker's word processor for Dockerfile arguments (moby/buildkit frontend/dockerfile/shell/lex.go):
/// quotes, the escape character and variable substitution (<c>$VAR</c>, <c>${VAR}</c>, <c>${VAR:-x}</c>,
/// <c>${VAR-x}</c>, <c>${VAR:+x}</c>, <c>${VAR+x}</c>, <c>${VAR:?msg}</c>, <c>${VAR#p}</c>, <c>${VAR%p}</c>).
/// Unset variables expand to nothing. <see cref="RawQuotes"/> keeps quote characters (used for heredoc
/// bodies and heredoc names), <see cref="RawEscapes"/> keeps escape characters.
/// </summary>
public sealed class ShellLex
{
    public ShellLex(char escape = '\\')
    {
        Escape = escape;
    }

    public char Escape { get; }

    public bool RawQuotes { get; init; }

    public bool RawEscapes { get; init; }

    /// <summary>Leaves <c>$NAME</c> of an unset variable as it is (heredoc name detection).</summary>
    public bool SkipUnsetEnv { get; init; }

    /// <summary>Expands one word: whitespace is kept, quotes removed.</summary>
    public string ProcessWord(string word, Func<string, string?> env) => ProcessWord(word, env, out _);

    /// <summary>Expands one word and reports which variable names it referenced.</summary>
    public string ProcessWord(string word, Func<string, string?> env, out IReadOnlySet<string> used)
    {
        var state = new State(this, word, env, splitWords: false);
        var result = state.Run();
        used = state.Used;
        return string.Concat(result);
    }

    /// <summary>Expands and splits on unquoted whitespace (EXPOSE, heredoc detection), like a shell's field splitting.</summary>
    public IReadOnlyList<string> ProcessWords(string word, Func<string, string?> env)
    {
        var state = new State(this, word, env, splitWords: true);
        return state.Run();
    }

    private sealed class State(ShellLex lex, string input, Func<string, string?> env, bool splitWords)
    {
        private readonly List<string> _words = [];
        private readonly StringBuilder _word = new();
        private int _pos;
        private bool _inWord;

        public HashSet<string> Used { get; } = new(StringComparer.Ordinal);

        private int Peek() => _pos < input.Length ? input[_pos] : -1;

        private int Next() => _pos < input.Length ? input[_pos++] : -1;

        public List<string> Run()
        {
            var text = ProcessStopOn(-1, topLevel: true);
            if (!splitWords)
            {
                return [text];
            }

            FlushWord();
            return _words;
        }

        private void FlushWord()
        {
            if (_inWord || _word.Length > 0)
            {
                _words.Add(_word.ToString());
            }

            _word.Clear();
            _inWord = false;
        }

        private void AddLiteral(string s)
        {
            if (s.Length > 0)
            {
                _inWord = true;
            }

            _word.Append(s);
        }

        // Variable values in unquoted context are field-split when splitting words.
        private void AddExpanded(string s, StringBuilder? target)
        {
            if (target is not null)
            {
                target.Append(s);
                return;
            }

            if (!splitWords)
            {
                AddLiteral(s);
                return;
            }

            for (var i = 0; i < s.Length; i++)
            {
                if (char.IsWhiteSpace(s[i]))
                {
                    if (_inWord || _word.Length > 0)
                    {
                        FlushWord();
                    }
                }
                else
                {
                    _inWord = true;
                    _word.Append(s[i]);
                }
            }
        }

        /// <summary>
        /// Processes until <paramref name="stop"/>. At top level the result goes into the word list;
        /// nested (inside ${...}) it returns the text.
        /// </summary>
        private string ProcessStopOn(int stop, bool topLevel)
        {
            var sb = topLevel ? null : new StringBuilder();
            while (true)
            {
                var ch = Peek();
                if (ch == -1)
                {
                    if (stop != -1)
                    {
                        throw new FormatException($"unexpected end of statement while looking for matching {(char)stop}");
                    }

                    break;
                }

                if (ch == stop)
                {
                    Next();
                    break;
                }

                if (ch == '\'' && !lex.RawQuotes)
                {
                    var s = ProcessSingleQuote();
                    Append(sb, s, quoted: true);
                }
                else if (ch == '"' && !lex.RawQuotes)
                {
                    var s = ProcessDoubleQuote();
                    Append(sb, s, quoted: true);
                }
                else if (ch == '$')
                {
                    var s = ProcessDollar();
                    AddExpanded(s, sb);
                }
                else
                {
                    Next();
                    if (ch == lex.Escape)
                    {
                        if (lex.RawEscapes)
                        {
                            Append(sb, ((char)ch).ToString(), quoted: false);
                        }

                        var next = Next();
                        if (next == -1)
                        {
                            break;
                        }

                        Append(sb, ((char)next).ToString(), quoted: true);
                    }
                    else if (splitWords && sb is null && char.IsWhiteSpace((char)ch))
                    {
                        FlushWord();
                    }
                    else
                    {
                        Append(sb, ((char)ch).ToString(), quoted: false);
                    }
                }
            }

            if (sb is not null)
            {
                return sb.ToString();
            }

            if (!splitWords)
            {
                // Single word mode: everything is in _word.
                var w = _word.ToString();
                _word.Clear();
                return w;
            }

            return string.Empty;
        }

        private void Append(StringBuilder? sb, string s, bool quoted)
        {
            if (sb is not null)
            {
                sb.Append(s);
                return;
            }

            if (quoted)
            {
                // A quoted empty string still makes a word ("" is an argument).
                _inWord = true;
            }

            AddLiteral(s);
        }

        private string ProcessSingleQuote()
        {
            // All chars between single quotes are taken as-is; the escape character means nothing there.
            Next();
            var sb = new StringBuilder();
            while (true)
            {
                var ch = Next();
                if (ch == -1)
                {
                    throw new FormatException("unexpected end of statement while looking for matching single-quote");
                }

                if (ch == '\'')
                {
                    break;
                }

                sb.Append((char)ch);
            }

            return sb.ToString();
        }

        private string ProcessDoubleQuote()
        {
            // Inside double quotes only $, " and the escape character itself can be escaped.
            Next();
            var sb = new StringBuilder();
            while (true)
            {
                var ch = Peek();
                if (ch == -1)
                {
                    throw new FormatException("unexpected end of statement while looking for matching double-quote");
                }

                if (ch == '"')
                {
                    Next();
                    break;
                }

                if (ch == '$')
                {
                    sb.Append(ProcessDollar());
                    continue;
                }

                Next();
                if (ch == lex.Escape)
                {
                    var p = Peek();
                    if (p == '"' || p == '$' || p == lex.Escape)
                    {
                        if (lex.RawEscapes)
                        {
                            sb.Append((char)ch);
                        }

                        ch = Next();
                    }
                }

                sb.Append((char)ch);
            }

            return sb.ToString();
        }

        private string ProcessName()
        {
            var sb = new StringBuilder();
            if (Peek() is >= '0' and <= '9')
            {
                // Positional parameters are one digit in a shell; Docker reads the digits and finds nothing.
                while (Peek() is >= '0' and <= '9')
                {
                    sb.Append((char)Next());
                }

                return sb.ToString();
            }

            while (Peek() is var c and not -1 && (char.IsAsciiLetterOrDigit((char)c) || c == '_'))
            {
                sb.Append((char)Next());
            }

            return sb.ToString();
        }

        private string? Lookup(string name)
        {
            Used.Add(name);
            return env(name);
        }

        private string ProcessDollar()
        {
            Next(); // $
            if (Peek() != '{')
            {
                var plain = ProcessName();
                if (plain.Length == 0)
                {
                    return "$";
                }

                var v = Lookup(plain);
                if (v is null && lex.SkipUnsetEnv)
                {
                    return "$" + plain;
                }

                return v ?? string.Empty;
            }

            Next(); // {
            if (Peek() == -1)
            {
                throw new FormatException("syntax error: missing '}'");
            }

            var name = ProcessName();
            if (name.Length == 0)
            {
                throw new FormatException("syntax error: bad substitution");
            }

            var value = Lookup(name);
            var ch = Next();
            switch (ch)
            {
                case '}':
                    if (value is null && lex.SkipUnsetEnv)
                    {
                        return "${" + name + "}";
                    }

                    return value ?? string.Empty;
                case '?':
                {
                    var msg = ProcessStopOn('}', topLevel: false);
                    if (value is null)
                    {
                        throw new FormatException($"{name}: {(msg.Length == 0 ? "is not allowed to be unset" : msg)}");
                    }

                    return value;
                }

                case ':':
                {
                    var modifier = Next();
                    var word = ProcessStopOn('}', topLevel: false);
                    return modifier switch
                    {
                        '+' => string.IsNullOrEmpty(value) ? string.Empty : word,
                        '-' => string.IsNullOrEmpty(value) ? word : value,
                        '?' => string.IsNullOrEmpty(value)
                            ? throw new FormatException($"{name}: {(word.Length == 0 ? "is not allowed to be empty" : word)}")
                            : value,
                        _ => throw new FormatException($"unsupported modifier ({(modifier == -1 ? "EOF" : ((char)modifier).ToString())}) in substitution"),
                    };
                }

                case '+':
                {
                    var word = ProcessStopOn('}', topLevel: false);
                    return value is null ? string.Empty : word;
                }

                case '-':
                {
                    var word = ProcessStopOn('}', topLevel: false);
                    return value ?? word;
                }

                case '#':
                case '%':
                {
                    var longest = Peek() == ch;
                    if (longest)
                    {
                        Next();
                    }

                    var pattern = ProcessStopOn('}', topLevel: false);
                    return TrimPattern(value ?? string.Empty, pattern, prefix: ch == '#', longest);
                }

                default:
                    throw new FormatException($"unsupported modifier ({(ch == -1 ? "EOF" : ((char)ch).ToString())}) in substitution");
            }
        }

        private static string TrimPattern(string value, string pattern, bool prefix, bool longest)
        {
            if (prefix)
            {
                var range = longest ? Enumerable.Range(0, value.Length + 1).Reverse() : Enumerable.Range(0, value.Length + 1);
                foreach (var n in range)
                {
                    if (Glob.Match(pattern, value[..n]))
                    {
                        return value[n..];
                    }
                }
            }
            else
            {
                var range = longest ? Enumerable.Range(0, value.Length + 1) : Enumerable.Range(0, value.Length + 1).Reverse();
                foreach (var n in range)
                {
                    if (Glob.Match(pattern, value[n..]))
                    {
                        return value[..n];
                    }
                }
            }

            return value;
        }
    }
}
