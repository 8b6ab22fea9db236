using Strata.Build.Parsing;

namespace Strata.Build.Instructions;

/// <summary>The ARGs declared in one stage, in declaration order, with their values (null: declared, unset).</summary>
public sealed class StageArgs
{
    private readonly BuildArgs _build;
    private readonly List<string> _order = [];
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    internal StageArgs(BuildArgs build)
    {
        _build = build;
    }

    /// <summary>
    /// Declares <c>ARG name[=default]</c>; the default is expanded with <paramref name="lookup"/> (the stage's
    /// current environment). Returns the name and the value the ARG ends up with.
    /// </summary>
    public (string Name, string? Value) Declare(string word, ShellLex lex, Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lex);
        var (rawName, rawDefault) = BuildArgs.Split(word);
        var name = lex.ProcessWord(rawName, lookup);
        string? value = rawDefault is null ? _build.GlobalValue(name) : lex.ProcessWord(rawDefault, lookup);
        if (_build.TryOverride(name, out var o))
        {
            value = o;
        }

        if (!_values.ContainsKey(name))
        {
            _order.Add(name);
        }

        _values[name] = value;
        return (name, value);
    }

    /// <summary>ARG value for expansion (declared with a value, or a predefined proxy arg passed as build arg).</summary>
    public string? Lookup(string name)
    {
        if (_values.TryGetValue(name, out var v))
        {
            return v;
        }

        return BuildArgs.Predefined.Contains(name) ? _build.Overrides.GetValueOrDefault(name) : null;
    }

    /// <summary>
    /// The ARGs a RUN sees as environment: declared with a value and not shadowed by an ENV of the same
    /// name, sorted by name (what Docker's classic builder records as <c>|N K=V</c> in history).
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> InScope(IReadOnlyCollection<string> envNames)
    {
        ArgumentNullException.ThrowIfNull(envNames);
        return _order
            .Where(n => _values[n] is not null && !envNames.Contains(n))
            .Select(n => new KeyValuePair<string, string>(n, _values[n]!))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Predefined proxy args passed with --build-arg: in the RUN environment but never in history or the cache key text.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> PredefinedInScope(IReadOnlyCollection<string> envNames) =>
        _build.Overrides.Where(p => BuildArgs.Predefined.Contains(p.Key) && !_values.ContainsKey(p.Key) && !envNames.Contains(p.Key))
            .OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
}
