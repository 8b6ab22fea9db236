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
    private readonly IReadOnlyDictionary<string, string> _automatic;

    public BuildArgs(IReadOnlyDictionary<string, string>? overrides = null, IReadOnlyDictionary<string, string>? automatic = null)
    {
        _overrides = overrides ?? new Dictionary<string, string>();
        _automatic = automatic ?? new Dictionary<string, string>();
    }

    /// <summary>
    /// BuildKit's automatic platform ARGs (TARGETPLATFORM, TARGETOS, TARGETARCH, TARGETVARIANT and the BUILD*
    /// ones for the machine building): in the global scope for FROM lines, and in a stage once it declares
    /// <c>ARG NAME</c> without a value.
    /// </summary>
    public static Dictionary<string, string> PlatformArgs(Oci.Platform target, Oci.Platform build)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(build);
        static string Format(Oci.Platform p) => p.Os + "/" + p.Architecture + (string.IsNullOrEmpty(p.Variant) ? string.Empty : "/" + p.Variant);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["TARGETPLATFORM"] = Format(target),
            ["TARGETOS"] = target.Os,
            ["TARGETARCH"] = target.Architecture,
            ["TARGETVARIANT"] = target.Variant ?? string.Empty,
            ["BUILDPLATFORM"] = Format(build),
            ["BUILDOS"] = build.Os,
            ["BUILDARCH"] = build.Architecture,
            ["BUILDVARIANT"] = build.Variant ?? string.Empty,
        };
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

        return Predefined.Contains(name) ? _overrides.GetValueOrDefault(name) : _automatic.GetValueOrDefault(name);
    }

    public StageArgs NewStage() => new(this);

    internal string? GlobalValue(string name) => _meta.TryGetValue(name, out var v) ? v : _automatic.GetValueOrDefault(name);

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
