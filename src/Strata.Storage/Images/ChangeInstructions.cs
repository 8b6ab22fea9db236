using System.Text;
using System.Text.Json;
using Strata.Oci;

namespace Strata.Storage.Images;

/// <summary>
/// Parses the Dockerfile instructions <c>import -c</c> and <c>commit -c</c> accept (CMD, ENTRYPOINT, ENV,
/// EXPOSE, LABEL, ONBUILD, USER, VOLUME, WORKDIR, STOPSIGNAL, SHELL) into <see cref="ConfigChanges"/>.
/// </summary>
public static class ChangeInstructions
{
    public static ConfigChanges Parse(IEnumerable<string> instructions)
    {
        ArgumentNullException.ThrowIfNull(instructions);
        var result = new ConfigChanges();
        foreach (var line in instructions)
        {
            result = ConfigChanges.Combine(result, ParseOne(line));
        }

        return result;
    }

    public static ConfigChanges ParseOne(string instruction)
    {
        ArgumentNullException.ThrowIfNull(instruction);
        var text = instruction.Trim();
        var space = text.IndexOfAny([' ', '\t']);
        var keyword = (space < 0 ? text : text[..space]).ToUpperInvariant();
        var rest = space < 0 ? string.Empty : text[(space + 1)..].Trim();
        if (rest.Length == 0)
        {
            throw Bad(instruction, $"{keyword} requires at least one argument");
        }

        return keyword switch
        {
            "CMD" => new ConfigChanges { Cmd = Command(rest, instruction) },
            "ENTRYPOINT" => new ConfigChanges { Entrypoint = Command(rest, instruction) },
            "SHELL" => new ConfigChanges { Shell = JsonArray(rest, instruction) ?? throw Bad(instruction, "SHELL requires the JSON array form") },
            "ENV" => new ConfigChanges { Env = KeyValues(rest, instruction, legacySpaceForm: true).Select(kv => $"{kv.Key}={kv.Value}").ToList() },
            "LABEL" => new ConfigChanges { Labels = KeyValues(rest, instruction, legacySpaceForm: false).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal) },
            "EXPOSE" => new ConfigChanges { ExposedPorts = Words(rest).Select(ConfigChanges.NormalizePort).ToList() },
            "VOLUME" => new ConfigChanges { Volumes = JsonArray(rest, instruction) ?? Words(rest) },
            "USER" => new ConfigChanges { User = rest },
            "WORKDIR" => new ConfigChanges { WorkingDir = rest },
            "STOPSIGNAL" => new ConfigChanges { StopSignal = rest },
            "ONBUILD" => new ConfigChanges { OnBuild = [rest] },
            _ => throw Bad(instruction, $"{keyword} is not a valid change command"),
        };
    }

    private static List<string> Command(string rest, string instruction) =>
        JsonArray(rest, instruction) ?? ["/bin/sh", "-c", rest];

    private static List<string>? JsonArray(string rest, string instruction)
    {
        if (!rest.StartsWith('['))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(rest);
            if (doc.RootElement.ValueKind != JsonValueKind.Array || doc.RootElement.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            {
                throw Bad(instruction, "expected a JSON array of strings");
            }

            return doc.RootElement.EnumerateArray().Select(e => e.GetString()!).ToList();
        }
        catch (JsonException)
        {
            // Docker treats a line that is not valid JSON as the shell form.
            return null;
        }
    }

    private static List<KeyValuePair<string, string>> KeyValues(string rest, string instruction, bool legacySpaceForm)
    {
        var words = Words(rest);
        if (legacySpaceForm && words.Count > 0 && !words[0].Contains('=', StringComparison.Ordinal))
        {
            // ENV KEY value with spaces
            var key = words[0];
            return [new(key, rest[rest.IndexOf(key, StringComparison.Ordinal)..][key.Length..].Trim())];
        }

        var result = new List<KeyValuePair<string, string>>();
        foreach (var w in words)
        {
            var eq = w.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw Bad(instruction, $"expected KEY=value, got \"{w}\"");
            }

            result.Add(new(w[..eq], w[(eq + 1)..]));
        }

        return result;
    }

    /// <summary>Splits on whitespace, honouring double and single quotes and backslash escapes as the Dockerfile parser does.</summary>
    private static List<string> Words(string s)
    {
        var words = new List<string>();
        var sb = new StringBuilder();
        var inWord = false;
        char quote = '\0';
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else if (c == '\\' && quote == '"' && i + 1 < s.Length)
                {
                    sb.Append(s[++i]);
                }
                else
                {
                    sb.Append(c);
                }

                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(sb.ToString());
                    sb.Clear();
                    inWord = false;
                }

                continue;
            }

            inWord = true;
            if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '\\' && i + 1 < s.Length)
            {
                sb.Append(s[++i]);
            }
            else
            {
                sb.Append(c);
            }
        }

        if (inWord)
        {
            words.Add(sb.ToString());
        }

        return words;
    }

    private static StrataException Bad(string instruction, string why) =>
        StrataException.Invalid("CHANGE_INVALID", $"invalid change \"{instruction}\": {why}");
}
