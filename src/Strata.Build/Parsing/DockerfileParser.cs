using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Strata.Oci;

namespace Strata.Build.Parsing;

/// <summary>
/// Parses Dockerfile text into <see cref="DockerfileNode"/>s the way moby/buildkit's
/// frontend/dockerfile/parser does: parser directives only at the top (<c># escape=</c>, <c># syntax=</c>),
/// comments only as whole lines, continuation lines joined with comment and empty lines inside them
/// skipped, flags before arguments, JSON (exec) form with fallback to the shell form for invalid JSON,
/// and here-documents for RUN/COPY/ADD.
/// </summary>
public static partial class DockerfileParser
{
    private static readonly HashSet<string> HeredocKeywords = ["run", "copy", "add"];

    [GeneratedRegex(@"^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$")]
    private static partial Regex DirectiveRegex();

    [GeneratedRegex(@"^(\d*)<<(-?)([^<]*)$")]
    private static partial Regex HeredocRegex();

    public static ParsedDockerfile Parse(string text, string fileName = "Dockerfile")
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        var lines = text.Split('\n');
        var count = lines.Length;
        if (count > 0 && lines[^1].Length == 0)
        {
            count--;
        }

        for (var i = 0; i < count; i++)
        {
            lines[i] = lines[i].TrimEnd('\r');
        }

        var escape = '\\';
        string? syntax = null;
        var directivesDone = false;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var warnings = new List<string>();
        var nodes = new List<DockerfileNode>();

        var idx = 0;
        while (idx < count)
        {
            var raw = lines[idx];
            idx++;
            var lineNo = idx;
            var stripped = raw.TrimStart(' ', '\t');

            if (!directivesDone)
            {
                var m = DirectiveRegex().Match(stripped);
                var key = m.Success ? m.Groups[1].Value.ToLowerInvariant() : null;
                if (key is "escape" or "syntax" or "check")
                {
                    if (!seen.Add(key))
                    {
                        throw DockerfileErrors.At(fileName, lineNo, 1, $"only one {key} parser directive can be used");
                    }

                    if (key == "escape")
                    {
                        var v = m.Groups[2].Value;
                        if (v != "\\" && v != "`")
                        {
                            throw DockerfileErrors.At(fileName, lineNo, 1, $"invalid escape token '{v}' does not match ` or \\");
                        }

                        escape = v[0];
                    }
                    else if (key == "syntax")
                    {
                        syntax = m.Groups[2].Value;
                    }

                    continue;
                }

                directivesDone = true;
            }

            if (IsComment(stripped) || stripped.Length == 0)
            {
                continue;
            }

            var column = raw.Length - stripped.Length + 1;
            var (line, ended) = TrimContinuation(stripped, escape);
            if (ended && line.Trim().Length == 0)
            {
                continue;
            }

            var hasEmptyContinuation = false;
            while (!ended && idx < count)
            {
                var next = lines[idx];
                idx++;
                var nextStripped = next.TrimStart(' ', '\t');
                if (IsComment(nextStripped))
                {
                    continue;
                }

                if (nextStripped.Length == 0)
                {
                    hasEmptyContinuation = true;
                    continue;
                }

                var (cont, e) = TrimContinuation(next, escape);
                line += cont;
                ended = e;
            }

            if (hasEmptyContinuation)
            {
                warnings.Add($"{fileName}:{lineNo}: empty continuation line found in: {Shorten(line)} (empty continuation lines will become errors in a future release)");
            }

            var node = NodeFromLine(line, escape, fileName, lineNo, column);
            if (HeredocKeywords.Contains(node.Keyword) && !node.Json && line.Contains("<<", StringComparison.Ordinal))
            {
                var heredocs = new List<Heredoc>();
                foreach (var h in HeredocsFromLine(string.Join(" ", node.Args)))
                {
                    var body = new StringBuilder();
                    var terminated = false;
                    while (idx < count)
                    {
                        var bodyLine = lines[idx];
                        idx++;
                        var candidate = h.Chomp ? bodyLine.TrimStart('\t') : bodyLine;
                        if (candidate == h.Name)
                        {
                            terminated = true;
                            break;
                        }

                        body.Append(bodyLine).Append('\n');
                    }

                    if (!terminated)
                    {
                        throw DockerfileErrors.At(fileName, lineNo, column, $"unterminated heredoc {h.Name}");
                    }

                    heredocs.Add(h with { Content = body.ToString() });
                }

                node = node with { Heredocs = heredocs };
            }

            nodes.Add(node with { StartLine = lineNo, EndLine = idx, Column = column });
        }

        return new ParsedDockerfile(fileName, escape, syntax, nodes, warnings);
    }

    private static string Shorten(string s) => s.Length > 60 ? s[..60] + "..." : s;

    private static bool IsComment(string leftTrimmed) => leftTrimmed.StartsWith('#');

    private static (string Line, bool Ended) TrimContinuation(string line, char escape)
    {
        // buildkit: the escape character followed only by spaces/tabs at the end of the line.
        var end = line.Length;
        while (end > 0 && line[end - 1] is ' ' or '\t')
        {
            end--;
        }

        if (end > 0 && line[end - 1] == escape)
        {
            return (line[..(end - 1)], false);
        }

        return (line, true);
    }

    /// <summary>Parses one joined instruction line (also used for ONBUILD triggers).</summary>
    public static DockerfileNode NodeFromLine(string line, char escape, string fileName, int lineNo, int column)
    {
        var trimmed = line.Trim();
        var split = SplitFirstWhitespace(trimmed);
        var keyword = split.Head.ToLowerInvariant();
        var rest = split.Tail;
        var (args, flags) = ExtractBuilderFlags(rest);
        var node = new DockerfileNode { Keyword = keyword, Original = trimmed, Flags = flags, StartLine = lineNo, EndLine = lineNo, Column = column };
        try
        {
            return keyword switch
            {
                "run" or "cmd" or "entrypoint" or "shell" => ParseMaybeJson(node, args),
                "copy" or "add" or "volume" => ParseMaybeJsonToList(node, args),
                "env" or "label" => node with { Args = ParseNameVal(args, keyword, escape) },
                "arg" => node with { Args = ParseArgWords(args, escape) },
                "expose" or "from" => node with { Args = SplitWhitespace(args) },
                "healthcheck" => ParseHealthcheck(node, args, escape, fileName, lineNo, column),
                "onbuild" => node with { Next = args.Trim().Length == 0 ? null : NodeFromLine(args, escape, fileName, lineNo, column), Args = [args.Trim()] },
                _ => node with { Args = args.Trim().Length == 0 ? [] : [args.Trim()] },
            };
        }
        catch (FormatException e)
        {
            throw DockerfileErrors.At(fileName, lineNo, column, e.Message);
        }
    }

    private static (string Head, string Tail) SplitFirstWhitespace(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsWhiteSpace(s[i]))
            {
                return (s[..i], s[(i + 1)..].TrimStart());
            }
        }

        return (s, string.Empty);
    }

    internal static IReadOnlyList<string> SplitWhitespace(string s) =>
        s.Split([' ', '\t', '\n', '\r', '\v', '\f'], StringSplitOptions.RemoveEmptyEntries);

    private static DockerfileNode ParseMaybeJson(DockerfileNode node, string rest)
    {
        rest = rest.Trim();
        if (TryParseJsonArray(rest, out var list))
        {
            return node with { Args = list, Json = true };
        }

        return node with { Args = rest.Length == 0 ? [] : [rest] };
    }

    private static DockerfileNode ParseMaybeJsonToList(DockerfileNode node, string rest)
    {
        rest = rest.Trim();
        if (TryParseJsonArray(rest, out var list))
        {
            return node with { Args = list, Json = true };
        }

        return node with { Args = SplitWhitespace(rest) };
    }

    /// <summary>
    /// True for a JSON array of strings. Invalid JSON is not an error (the line is the shell form), but a
    /// valid array holding something other than strings is, as in Docker.
    /// </summary>
    private static bool TryParseJsonArray(string rest, out IReadOnlyList<string> list)
    {
        list = [];
        if (!rest.StartsWith('['))
        {
            return false;
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(rest);
        }
        catch (JsonException)
        {
            return false;
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                return false;
            }

            var items = new List<string>();
            foreach (var e in doc.RootElement.EnumerateArray())
            {
                if (e.ValueKind != JsonValueKind.String)
                {
                    throw new FormatException("dockerfile: the JSON array must hold strings only");
                }

                items.Add(e.GetString()!);
            }

            list = items;
            return true;
        }
    }

    private static IReadOnlyList<string> ParseNameVal(string rest, string keyword, char escape)
    {
        var words = ParseWords(rest, escape);
        if (words.Count == 0)
        {
            throw new FormatException($"{keyword.ToUpperInvariant()} requires at least one argument");
        }

        if (!words[0].Contains('=', StringComparison.Ordinal))
        {
            // Legacy form: ENV key value with spaces.
            var (k, v) = SplitFirstWhitespace(rest.Trim());
            if (v.Length == 0)
            {
                throw new FormatException($"{keyword.ToUpperInvariant()} must have two arguments");
            }

            return [k, v];
        }

        var result = new List<string>();
        foreach (var w in words)
        {
            var eq = w.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                throw new FormatException($"Syntax error - can't find = in \"{w}\". Must be of the form: name=value");
            }

            result.Add(w[..eq]);
            result.Add(w[(eq + 1)..]);
        }

        return result;
    }

    private static IReadOnlyList<string> ParseArgWords(string rest, char escape)
    {
        var words = ParseWords(rest, escape);
        if (words.Count == 0)
        {
            throw new FormatException("ARG requires at least one argument");
        }

        return words;
    }

    /// <summary>buildkit's parseWords: whitespace-separated words with quotes and escapes kept in the word.</summary>
    public static IReadOnlyList<string> ParseWords(string rest, char escape)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        const int inSpaces = 0, inWord = 1, inQuote = 2;
        var phase = inSpaces;
        var quote = '\0';
        var blankOk = false;
        for (var pos = 0; pos <= rest.Length; pos++)
        {
            var ch = pos < rest.Length ? rest[pos] : '\0';
            if (phase == inSpaces)
            {
                if (pos == rest.Length)
                {
                    break;
                }

                if (char.IsWhiteSpace(ch))
                {
                    continue;
                }

                phase = inWord;
            }

            if (pos == rest.Length)
            {
                if (blankOk || word.Length > 0)
                {
                    words.Add(word.ToString());
                }

                break;
            }

            if (phase == inWord)
            {
                if (char.IsWhiteSpace(ch))
                {
                    phase = inSpaces;
                    if (blankOk || word.Length > 0)
                    {
                        words.Add(word.ToString());
                    }

                    word.Clear();
                    blankOk = false;
                    continue;
                }

                if (ch is '\'' or '"')
                {
                    quote = ch;
                    blankOk = true;
                    phase = inQuote;
                }

                if (ch == escape)
                {
                    if (pos + 1 == rest.Length)
                    {
                        continue;
                    }

                    word.Append(ch);
                    pos++;
                    ch = rest[pos];
                }

                word.Append(ch);
                continue;
            }

            // inQuote
            if (ch == quote)
            {
                phase = inWord;
            }

            if (ch == escape && quote != '\'')
            {
                if (pos + 1 == rest.Length)
                {
                    phase = inWord;
                    continue;
                }

                pos++;
                word.Append(ch);
                ch = rest[pos];
            }

            word.Append(ch);
        }

        return words;
    }

    /// <summary>buildkit's extractBuilderFlags: leading <c>--name[=value]</c> words, quotes removed; <c>--</c> ends them.</summary>
    public static (string Remainder, IReadOnlyList<BuilderFlag> Flags) ExtractBuilderFlags(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        const int inSpaces = 0, inWord = 1, inQuote = 2;
        var phase = inSpaces;
        var quote = '\0';
        var blankOk = false;
        var rest = string.Empty;
        for (var pos = 0; pos <= line.Length; pos++)
        {
            var ch = pos < line.Length ? line[pos] : '\0';
            if (phase == inSpaces)
            {
                if (pos == line.Length)
                {
                    break;
                }

                if (char.IsWhiteSpace(ch))
                {
                    continue;
                }

                if (ch != '-' || pos + 1 == line.Length || line[pos + 1] != '-')
                {
                    rest = line[pos..];
                    break;
                }

                phase = inWord;
            }

            if (pos == line.Length)
            {
                var w = word.ToString();
                if (w != "--" && (blankOk || w.Length > 0))
                {
                    words.Add(w);
                }

                break;
            }

            if (phase == inWord)
            {
                if (char.IsWhiteSpace(ch))
                {
                    phase = inSpaces;
                    var w = word.ToString();
                    if (w == "--")
                    {
                        rest = line[pos..].TrimStart();
                        word.Clear();
                        break;
                    }

                    if (blankOk || w.Length > 0)
                    {
                        words.Add(w);
                    }

                    word.Clear();
                    blankOk = false;
                    continue;
                }

                if (ch is '\'' or '"')
                {
                    quote = ch;
                    blankOk = true;
                    phase = inQuote;
                    continue;
                }

                if (ch == '\\')
                {
                    if (pos + 1 == line.Length)
                    {
                        continue;
                    }

                    pos++;
                    ch = line[pos];
                }

                word.Append(ch);
                continue;
            }

            if (ch == quote)
            {
                phase = inWord;
                continue;
            }

            if (ch == '\\')
            {
                if (pos + 1 == line.Length)
                {
                    phase = inWord;
                    continue;
                }

                pos++;
                ch = line[pos];
            }

            word.Append(ch);
        }

        var flags = new List<BuilderFlag>();
        foreach (var w in words)
        {
            var body = w[2..];
            var eq = body.IndexOf('=', StringComparison.Ordinal);
            flags.Add(eq < 0 ? new BuilderFlag(body, null) : new BuilderFlag(body[..eq], body[(eq + 1)..]));
        }

        return (rest, flags);
    }

    private static DockerfileNode ParseHealthcheck(DockerfileNode node, string rest, char escape, string fileName, int lineNo, int column)
    {
        _ = escape;
        var (head, tail) = SplitFirstWhitespace(rest.Trim());
        var type = head.ToUpperInvariant();
        if (type == "NONE")
        {
            if (tail.Length != 0)
            {
                throw DockerfileErrors.At(fileName, lineNo, column, "HEALTHCHECK NONE takes no arguments");
            }

            return node with { Args = ["NONE"] };
        }

        if (type != "CMD")
        {
            throw DockerfileErrors.At(fileName, lineNo, column, $"Unknown type \"{head}\" in HEALTHCHECK (try CMD)");
        }

        var inner = ParseMaybeJson(node, tail);
        return inner with { Args = ["CMD", .. inner.Args] };
    }

    /// <summary>The heredocs named on a RUN/COPY/ADD line, in order (buildkit's heredocsFromLine).</summary>
    public static IReadOnlyList<Heredoc> HeredocsFromLine(string line)
    {
        var lex = new ShellLex('\\') { RawQuotes = true, RawEscapes = true };
        IReadOnlyList<string> words;
        try
        {
            words = lex.ProcessWords(line, _ => null);
        }
        catch (FormatException)
        {
            return [];
        }

        var docs = new List<Heredoc>();
        foreach (var w in words)
        {
            var h = ParseHeredoc(w);
            if (h is not null)
            {
                docs.Add(h);
            }
        }

        return docs;
    }

    /// <summary>Parses one word as a heredoc marker (<c>&lt;&lt;EOF</c>, <c>&lt;&lt;-"EOF"</c>, <c>3&lt;&lt;EOF</c>) or returns null.</summary>
    public static Heredoc? ParseHeredoc(string word)
    {
        var m = HeredocRegex().Match(word);
        if (!m.Success || m.Groups[3].Value.Length == 0)
        {
            return null;
        }

        var fd = 0;
        if (m.Groups[1].Value.Length > 0 && !int.TryParse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture, out fd))
        {
            // BuildKit refuses it too (strconv.ParseUint fails); found by fuzz/, target dockerfile.
            throw StrataException.Invalid(DockerfileErrors.ParseCode, $"heredoc \"{word}\": file descriptor {m.Groups[1].Value} is out of range");
        }

        var chomp = m.Groups[2].Value == "-";
        var rest = m.Groups[3].Value;
        try
        {
            var cooked = new ShellLex('\\') { SkipUnsetEnv = true }.ProcessWords(rest, _ => null);
            if (cooked.Count != 1)
            {
                return null;
            }

            var raw = new ShellLex('\\') { SkipUnsetEnv = true, RawQuotes = true }.ProcessWords(rest, _ => null);
            static int Quotes(string s) => s.Count(c => c is '\'' or '"');
            var expand = Quotes(cooked[0]) == Quotes(raw[0]);
            return new Heredoc(cooked[0], string.Empty, expand, chomp, fd);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
