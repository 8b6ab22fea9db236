using Strata.Build.Parsing;

namespace Strata.Build.Instructions;

/// <summary>
/// ARG scoping as Docker documents it: ARGs before the first FROM are only visible to FROM lines unless a
/// stage re-declares them (<c>ARG NAME</c> takes the global value); <c>--build-arg</c> overrides a declared
/// ARG's default; a stage's ARGs end with the stage; ENV of the same name wins over an ARG in expansions.
/// The proxy variables are predefined: usable without ARG, never written to history.
/// </summary>
public sealed class BuildArgs
{
    public static readonly IReadOnlySet<string> Predefined = new HashSet<string>(StringComparer.Ordinal)
    {
        "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy",
    };

    private readonly IReadOnlyDictionary<string, string> _overrides;
    private readonly Dictionary<string, string?> _meta = new(StringComparer.Ordinal);
    private readonly HashSet<string> _consumed = new(StringComparer.Ordinal);

    public BuildArgs(IReadOnlyDictionary<string, string>? overrides = null)
    {
        _overrides = overrides ?? new Dictionary<string, string>();
    }

    public IReadOnlyDictionary<string, string> Overrides => _overrides;

    /// <summary>The build-arg names no ARG declared (Docker warns about them).</summary>
    public IEnumerable<string> Unconsumed => _overrides.Keys.Where(k => !_consumed.Contains(k) && !Predefined.Contains(k)).Order(StringComparer.Ordinal);

    /// <summary>Declares a global ARG (before the first FROM); its default can use earlier global ARGs.</summary>
    public void DeclareMeta(string word, ShellLex lex)
    {
        var (name, raw) = Split(word);
        name = lex.ProcessWord(name, MetaLookup);
        var value = raw is null ? null : lex.ProcessWord(raw, MetaLookup);
        if (_overrides.TryGetValue(name, out var o))
        {
            value = o;
            _consumed.Add(name);
        }

        _meta[name] = value;
    }

    /// <summary>Lookup for FROM lines: global ARGs, then predefined ones passed as build args.</summary>
    public string? MetaLookup(string name)
    {
        if (_meta.TryGetValue(name, out var v))
        {
            return v;
        }

        return Predefined.Contains(name) ? _overrides.GetValueOrDefault(name) : null;
    }

    public StageArgs NewStage() => new(this);

    internal string? GlobalValue(string name) => _meta.GetValueOrDefault(name);

    internal bool TryOverride(string name, out string value)
    {
        if (_overrides.TryGetValue(name, out var v))
        {
            _consumed.Add(name);
            value = v;
            return true;
        }

        value = string.Empty;
        return false;
    }

    internal static (string Name, string? Default) Split(string word)
    {
        var eq = word.IndexOf('=', StringComparison.Ordinal);
        return eq < 0 ? (word, null) : (word[..eq], word[(eq + 1)..]);
    }
}
