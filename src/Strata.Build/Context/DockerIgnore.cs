using Strata.Oci;

namespace Strata.Build.Context;

/// <summary>
/// The rules of a .dockerignore file (docker/cli's dockerignore.ReadAll + moby/patternmatcher): one pattern a
/// line, <c>#</c> comment lines, <c>!</c> exceptions, patterns cleaned like Go's filepath.Clean with a leading
/// <c>/</c> dropped, and the last matching pattern wins.
/// </summary>
public sealed class DockerIgnore
{
    private readonly List<IgnorePattern> _patterns;

    public DockerIgnore(IEnumerable<IgnorePattern> patterns)
    {
        _patterns = [.. patterns];
    }

    public static DockerIgnore Empty { get; } = new([]);

    public IReadOnlyList<IgnorePattern> Patterns => _patterns;

    /// <summary>True when some pattern is an exception, so an excluded directory may still hold included files.</summary>
    public bool HasExceptions => _patterns.Any(p => p.Exclusion);

    /// <summary>The code of a .dockerignore that cannot be parsed (a bad pattern, a lone <c>!</c>).</summary>
    public const string InvalidCode = "DOCKERIGNORE_INVALID";

    public static DockerIgnore Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            return ParsePatterns(text);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or NotSupportedException)
        {
            // A malformed class ("[z-a]", "[") or a lone "!": docker refuses the file too (found by fuzz/, target dockerignore).
            throw StrataException.Invalid(InvalidCode, $".dockerignore: {e.Message}", e);
        }
    }

    private static DockerIgnore ParsePatterns(string text)
    {
        var patterns = new List<IgnorePattern>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.StartsWith('#'))
            {
                continue;
            }

            var pattern = line.Trim();
            if (pattern.Length == 0)
            {
                continue;
            }

            var exclusion = false;
            if (pattern[0] == '!')
            {
                if (pattern.Length == 1)
                {
                    throw new FormatException("illegal exclusion pattern: \"!\"");
                }

                exclusion = true;
                pattern = pattern[1..].Trim();
            }

            pattern = CleanPath(pattern);
            if (pattern.Length > 1 && pattern[0] == '/')
            {
                pattern = pattern[1..];
            }

            patterns.Add(new IgnorePattern(pattern, exclusion));
        }

        return new DockerIgnore(patterns);
    }

    public static async Task<DockerIgnore> LoadAsync(string contextDir, CancellationToken cancellationToken)
    {
        var file = Path.Combine(contextDir, ".dockerignore");
        if (!File.Exists(file))
        {
            return Empty;
        }

        return Parse(await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>True when <paramref name="relativePath"/> (slash-separated, relative to the context) is ignored.</summary>
    public bool IsExcluded(string relativePath)
    {
        var matched = false;
        foreach (var p in _patterns)
        {
            if (p.Exclusion == !matched)
            {
                // Only a pattern that can change the answer matters (patternmatcher's optimisation; same result).
                continue;
            }

            if (p.IsMatch(relativePath))
            {
                matched = !p.Exclusion;
            }
        }

        return matched;
    }

    /// <summary>Go's path.Clean: collapse separators, resolve <c>.</c> and <c>..</c>.</summary>
    public static string CleanPath(string path)
    {
        if (path.Length == 0)
        {
            return ".";
        }

        var rooted = path[0] == '/';
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0 && parts[^1] != "..")
                {
                    parts.RemoveAt(parts.Count - 1);
                }
                else if (!rooted)
                {
                    parts.Add("..");
                }

                continue;
            }

            parts.Add(part);
        }

        var joined = string.Join('/', parts);
        if (rooted)
        {
            return "/" + joined;
        }

        return joined.Length == 0 ? "." : joined;
    }
}
