using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Oci;

namespace Strata.Cli.Commands.Images;

/// <summary>
/// The subset of Go's text/template that <c>--format</c> users write: <c>{{.A.B}}</c>, <c>{{json .A}}</c>,
/// <c>{{index .A "k"}}</c>, <c>{{join .A ","}}</c>, <c>{{upper .A}}</c>, <c>{{lower .A}}</c>, <c>{{len .A}}</c>,
/// <c>{{range .A}}..{{.}}..{{end}}</c>, <c>{{if .A}}..{{else}}..{{end}}</c> and <c>{{-</c>/<c>-}}</c> trimming,
/// over a JSON document. Values print as Go's fmt does (<c>[a b]</c>, <c>map[k:v]</c>).
/// </summary>
public sealed class GoTemplate
{
    private readonly List<Node> _nodes;

    private GoTemplate(List<Node> nodes) => _nodes = nodes;

    /// <summary>Field paths Go knows to be slices or maps, so a null prints as <c>[]</c> or <c>map[]</c> like docker's.</summary>
    private static readonly HashSet<string> SliceFields = new(StringComparer.Ordinal) { "Cmd", "Entrypoint", "Env", "OnBuild", "Shell", "RepoTags", "RepoDigests", "Layers", "Names", "Mounts" };

    private static readonly HashSet<string> MapFields = new(StringComparer.Ordinal) { "Labels", "Volumes", "ExposedPorts", "Annotations", "Options" };

    public static GoTemplate Parse(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var tokens = Tokenize(template);
        var pos = 0;
        var nodes = ParseList(tokens, ref pos, template, out var end);
        if (end is not null)
        {
            throw Bad(template, $"unexpected {{{{{end}}}}}");
        }

        return new GoTemplate(nodes);
    }

    public string Render(JsonNode? data)
    {
        var sb = new StringBuilder();
        Render(_nodes, data, data, sb);
        return sb.ToString();
    }

    /// <summary>Go's fmt %v of a JSON value.</summary>
    public static string Print(JsonNode? value, string? field = null) => value switch
    {
        null when field is not null && SliceFields.Contains(field) => "[]",
        null when field is not null && MapFields.Contains(field) => "map[]",
        null => "<nil>",
        JsonArray a => "[" + string.Join(' ', a.Select(x => Print(x))) + "]",
        JsonObject o => "map[" + string.Join(' ', o.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + ":" + Print(kv.Value, kv.Key))) + "]",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
        _ => value.ToJsonString(Strata.Cli.Output.CliJson.Compact),
    };

    private static void Render(List<Node> nodes, JsonNode? dot, JsonNode? root, StringBuilder sb)
    {
        foreach (var n in nodes)
        {
            switch (n)
            {
                case TextNode t:
                    sb.Append(t.Text);
                    break;
                case ActionNode a:
                    sb.Append(Evaluate(a.Words, dot, root, out var field) switch
                    {
                        Result { Text: { } text } => text,
                        var r => Print(r.Node, field),
                    });
                    break;
                case RangeNode r:
                    var items = Evaluate(r.Words, dot, root, out _).Node;
                    var any = false;
                    if (items is JsonArray arr)
                    {
                        foreach (var item in arr)
                        {
                            any = true;
                            Render(r.Body, item, root, sb);
                        }
                    }
                    else if (items is JsonObject obj)
                    {
                        foreach (var kv in obj.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                        {
                            any = true;
                            Render(r.Body, kv.Value, root, sb);
                        }
                    }

                    if (!any)
                    {
                        Render(r.Else, dot, root, sb);
                    }

                    break;
                case IfNode i:
                    var cond = Evaluate(i.Words, dot, root, out _);
                    Render(Truthy(cond) ? i.Body : i.Else, dot, root, sb);
                    break;
            }
        }
    }

    private static bool Truthy(Result r) => r.Text is { } t ? t.Length > 0 : r.Node switch
    {
        null => false,
        JsonArray a => a.Count > 0,
        JsonObject o => o.Count > 0,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>().Length > 0,
        JsonValue v when v.GetValueKind() == JsonValueKind.False => false,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>() != 0,
        _ => true,
    };

    private sealed record Result(JsonNode? Node, string? Text);

    private static Result Evaluate(IReadOnlyList<string> words, JsonNode? dot, JsonNode? root, out string? field)
    {
        field = null;
        if (words.Count == 0)
        {
            return new Result(null, string.Empty);
        }

        switch (words[0])
        {
            case "json" when words.Count == 2:
                return new Result(null, Path(words[1], dot, root, out _)?.ToJsonString(Strata.Cli.Output.CliJson.Compact) ?? "null");
            case "upper" when words.Count == 2:
                return new Result(null, Print(Path(words[1], dot, root, out var f1), f1).ToUpperInvariant());
            case "lower" when words.Count == 2:
                return new Result(null, Print(Path(words[1], dot, root, out var f2), f2).ToLowerInvariant());
            case "len" when words.Count == 2:
                return new Result(null, (Path(words[1], dot, root, out _) switch
                {
                    JsonArray a => a.Count,
                    JsonObject o => o.Count,
                    JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>().Length,
                    _ => 0,
                }).ToString(CultureInfo.InvariantCulture));
            case "join" when words.Count == 3:
                var list = Path(words[1], dot, root, out _) as JsonArray;
                return new Result(null, string.Join(Literal(words[2]), list?.Select(x => Print(x)) ?? []));
            case "index" when words.Count >= 3:
                var node = Path(words[1], dot, root, out _);
                foreach (var k in words.Skip(2))
                {
                    var key = Literal(k);
                    node = node switch
                    {
                        JsonObject o => o[key],
                        JsonArray a when int.TryParse(key, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) && i >= 0 && i < a.Count => a[i],
                        _ => null,
                    };
                }

                return new Result(node, null);
            case "println":
                return new Result(null, string.Join(' ', words.Skip(1).Select(w => Print(Path(w, dot, root, out var f3), f3))) + "\n");
            default:
                if (words.Count != 1)
                {
                    throw StrataException.Invalid("TEMPLATE_INVALID", $"template: unsupported function \"{words[0]}\"");
                }

                if (words[0].StartsWith('"'))
                {
                    return new Result(null, Literal(words[0]));
                }

                return new Result(Path(words[0], dot, root, out field), null);
        }
    }

    private static string Literal(string word) =>
        word.Length >= 2 && word[0] == '"' && word[^1] == '"' ? JsonSerializer.Deserialize(word, StrataCliJsonContext.Default.String) ?? string.Empty : word;

    private static JsonNode? Path(string path, JsonNode? dot, JsonNode? root, out string? field)
    {
        field = null;
        if (path == ".")
        {
            return dot;
        }

        if (path == "$")
        {
            return root;
        }

        if (!path.StartsWith('.') && !path.StartsWith("$.", StringComparison.Ordinal))
        {
            throw StrataException.Invalid("TEMPLATE_INVALID", $"template: unexpected \"{path}\"");
        }

        var node = path.StartsWith('$') ? root : dot;
        foreach (var part in path.TrimStart('$').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            field = part;
            if (node is JsonObject o)
            {
                if (!o.TryGetPropertyValue(part, out var next))
                {
                    // Case-insensitive like docker's JSON field lookup as a fallback.
                    next = o.FirstOrDefault(kv => string.Equals(kv.Key, part, StringComparison.OrdinalIgnoreCase)).Value;
                    if (next is null && !o.Any(kv => string.Equals(kv.Key, part, StringComparison.OrdinalIgnoreCase)))
                    {
                        throw StrataException.Invalid("TEMPLATE_INVALID", $"template: can't evaluate field {part}");
                    }
                }

                node = next;
            }
            else
            {
                return null;
            }
        }

        return node;
    }

    private abstract record Node;

    private sealed record TextNode(string Text) : Node;

    private sealed record ActionNode(IReadOnlyList<string> Words) : Node;

    private sealed record RangeNode(IReadOnlyList<string> Words, List<Node> Body, List<Node> Else) : Node;

    private sealed record IfNode(IReadOnlyList<string> Words, List<Node> Body, List<Node> Else) : Node;

    private sealed record Token(bool IsAction, string Text);

    private static List<Node> ParseList(List<Token> tokens, ref int pos, string template, out string? end)
    {
        var nodes = new List<Node>();
        end = null;
        while (pos < tokens.Count)
        {
            var t = tokens[pos++];
            if (!t.IsAction)
            {
                nodes.Add(new TextNode(t.Text));
                continue;
            }

            var words = Words(t.Text);
            if (words.Count == 0)
            {
                continue;
            }

            switch (words[0])
            {
                case "end" or "else":
                    end = words[0];
                    return nodes;
                case "range" or "if":
                    var body = ParseList(tokens, ref pos, template, out var e1);
                    var els = new List<Node>();
                    if (e1 == "else")
                    {
                        els = ParseList(tokens, ref pos, template, out e1);
                    }

                    if (e1 != "end")
                    {
                        throw Bad(template, $"missing {{{{end}}}} for {words[0]}");
                    }

                    nodes.Add(words[0] == "range" ? new RangeNode(words.Skip(1).ToList(), body, els) : new IfNode(words.Skip(1).ToList(), body, els));
                    break;
                default:
                    nodes.Add(new ActionNode(words));
                    break;
            }
        }

        return nodes;
    }

    private static List<Token> Tokenize(string template)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf("{{", i, StringComparison.Ordinal);
            if (open < 0)
            {
                tokens.Add(new Token(false, template[i..]));
                break;
            }

            var text = template[i..open];
            var close = template.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                throw Bad(template, "unclosed action");
            }

            var inner = template[(open + 2)..close];
            if (inner.StartsWith('-'))
            {
                text = text.TrimEnd();
                inner = inner[1..];
            }

            var trimAfter = inner.EndsWith('-');
            if (trimAfter)
            {
                inner = inner[..^1];
            }

            if (text.Length > 0)
            {
                tokens.Add(new Token(false, text));
            }

            tokens.Add(new Token(true, inner.Trim()));
            i = close + 2;
            if (trimAfter)
            {
                while (i < template.Length && char.IsWhiteSpace(template[i]))
                {
                    i++;
                }
            }
        }

        return tokens;
    }

    private static List<string> Words(string action)
    {
        var words = new List<string>();
        var i = 0;
        while (i < action.Length)
        {
            if (char.IsWhiteSpace(action[i]))
            {
                i++;
                continue;
            }

            var start = i;
            if (action[i] == '"')
            {
                i++;
                while (i < action.Length && action[i] != '"')
                {
                    i += action[i] == '\\' ? 2 : 1;
                }

                i = Math.Min(i + 1, action.Length);
            }
            else
            {
                while (i < action.Length && !char.IsWhiteSpace(action[i]))
                {
                    i++;
                }
            }

            words.Add(action[start..i]);
        }

        return words;
    }

    private static StrataException Bad(string template, string why) =>
        StrataException.Invalid("TEMPLATE_INVALID", $"template parsing error: {why} in \"{template}\"");
}
