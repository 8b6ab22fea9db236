using Strata.Build.Parsing;
using Strata.Oci;

namespace Strata.Build.Instructions;

/// <summary>
/// A validated Dockerfile: the ARGs before the first FROM (usable only in FROM lines) and the stages.
/// Every check that needs no build state happens here so a bad Dockerfile fails before any work, with
/// <c>FILE:LINE:COL</c> in the message.
/// </summary>
public sealed class BuildPlan
{
    private static readonly Dictionary<string, string[]> AllowedFlags = new(StringComparer.Ordinal)
    {
        ["from"] = ["platform"],
        ["run"] = ["network"],
        ["copy"] = ["from", "chown", "chmod", "link"],
        ["add"] = ["chown", "chmod", "link", "checksum", "keep-git-dir"],
        ["healthcheck"] = ["interval", "timeout", "start-period", "start-interval", "retries"],
    };

    private static readonly HashSet<string> Known =
    [
        "from", "run", "cmd", "entrypoint", "env", "arg", "label", "maintainer", "workdir", "user", "expose",
        "volume", "copy", "add", "shell", "stopsignal", "healthcheck", "onbuild",
    ];

    private BuildPlan(string fileName, char escape, IReadOnlyList<DockerfileNode> metaArgs, IReadOnlyList<Stage> stages, IReadOnlyList<string> warnings)
    {
        FileName = fileName;
        Escape = escape;
        MetaArgs = metaArgs;
        Stages = stages;
        Warnings = warnings;
    }

    public string FileName { get; }

    public char Escape { get; }

    public IReadOnlyList<DockerfileNode> MetaArgs { get; }

    public IReadOnlyList<Stage> Stages { get; }

    public IReadOnlyList<string> Warnings { get; }

    public static BuildPlan Parse(string text, string fileName = "Dockerfile") => From(DockerfileParser.Parse(text, fileName));

    public static BuildPlan From(ParsedDockerfile parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        var file = parsed.FileName;
        var meta = new List<DockerfileNode>();
        var stages = new List<Stage>();
        DockerfileNode? from = null;
        var body = new List<DockerfileNode>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        void Flush()
        {
            if (from is null)
            {
                return;
            }

            string? name = null;
            if (from.Args.Count == 3)
            {
                name = from.Args[2].ToLowerInvariant();
                if (!names.Add(name))
                {
                    throw DockerfileErrors.At(file, from, $"duplicate stage name \"{name}\"");
                }
            }

            stages.Add(new Stage(stages.Count, name, from, [.. body]));
            body.Clear();
        }

        foreach (var node in parsed.Nodes)
        {
            Validate(file, node, nested: false);
            if (node.Keyword == "from")
            {
                Flush();
                from = node;
                continue;
            }

            if (from is null)
            {
                if (node.Keyword != "arg")
                {
                    throw DockerfileErrors.At(file, node, $"no build stage in current context (found {node.Keyword.ToUpperInvariant()} before FROM)");
                }

                meta.Add(node);
                continue;
            }

            body.Add(node);
        }

        Flush();
        if (stages.Count == 0)
        {
            throw DockerfileErrors.At(file, 1, 1, "file with no instructions");
        }

        return new BuildPlan(file, parsed.Escape, meta, stages, parsed.Warnings);
    }

    /// <summary>Index of the stage named <paramref name="target"/> (or the last stage when null).</summary>
    public int TargetIndex(string? target)
    {
        if (string.IsNullOrEmpty(target))
        {
            return Stages.Count - 1;
        }

        var s = Stages.FirstOrDefault(x => string.Equals(x.Name, target, StringComparison.OrdinalIgnoreCase))
            ?? throw Oci.StrataException.Invalid("BUILD_TARGET_NOT_FOUND", $"failed to reach build target {target} in Dockerfile");
        return s.Index;
    }

    /// <summary>Checks flags and argument counts of one node (ONBUILD triggers included).</summary>
    public static void Validate(string file, DockerfileNode node, bool nested)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (!Known.Contains(node.Keyword))
        {
            throw DockerfileErrors.At(file, node, $"unknown instruction: {node.Keyword.ToUpperInvariant()}");
        }

        var allowed = AllowedFlags.GetValueOrDefault(node.Keyword, []);
        foreach (var f in node.Flags)
        {
            if (!allowed.Contains(f.Name))
            {
                throw DockerfileErrors.At(file, node, $"Unknown flag: {f.Name}");
            }
        }

        var upper = node.Keyword.ToUpperInvariant();
        var n = node.Args.Count;
        switch (node.Keyword)
        {
            case "from":
                if (n != 1 && !(n == 3 && node.Args[1].Equals("as", StringComparison.OrdinalIgnoreCase)))
                {
                    throw DockerfileErrors.At(file, node, "FROM requires either one or three arguments");
                }

                if (n == 3 && !IsValidStageName(node.Args[2]))
                {
                    throw DockerfileErrors.At(file, node, $"invalid name for build stage: \"{node.Args[2]}\", name can't start with a number or contain symbols");
                }

                break;
            case "copy" or "add":
                if (n + node.Heredocs.Count < 2 && !(n >= 1 && node.Heredocs.Count > 0))
                {
                    throw DockerfileErrors.At(file, node, $"{upper} requires at least two arguments, but only one was provided. Destination could not be determined");
                }

                if (n < 2)
                {
                    throw DockerfileErrors.At(file, node, $"{upper} requires at least two arguments, but only one was provided. Destination could not be determined");
                }

                break;
            case "run":
                if (n == 0)
                {
                    throw DockerfileErrors.At(file, node, "RUN requires at least one argument");
                }

                var network = node.Flags.FirstOrDefault(f => f.Name == "network")?.Value;
                if (network is not null and not ("default" or "none" or "host"))
                {
                    throw DockerfileErrors.At(file, node, $"unsupported network mode \"{network}\" (default, none or host)");
                }

                break;
            case "workdir" or "user" or "maintainer" or "stopsignal":
                if (n == 0)
                {
                    throw DockerfileErrors.At(file, node, $"{upper} requires exactly one argument");
                }

                break;
            case "expose" or "volume":
                if (n == 0)
                {
                    throw DockerfileErrors.At(file, node, $"{upper} requires at least one argument");
                }

                break;
            case "shell":
                if (!node.Json)
                {
                    throw DockerfileErrors.At(file, node, "SHELL requires the arguments to be in JSON form");
                }

                if (n == 0)
                {
                    throw DockerfileErrors.At(file, node, "SHELL requires at least one argument");
                }

                break;
            case "onbuild":
                if (nested)
                {
                    throw DockerfileErrors.At(file, node, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
                }

                if (node.Next is null)
                {
                    throw DockerfileErrors.At(file, node, "ONBUILD requires at least one argument");
                }

                if (node.Next.Keyword is "onbuild")
                {
                    throw DockerfileErrors.At(file, node, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
                }

                if (node.Next.Keyword is "from" or "maintainer")
                {
                    throw DockerfileErrors.At(file, node, $"{node.Next.Keyword.ToUpperInvariant()} isn't allowed as an ONBUILD trigger");
                }

                Validate(file, node.Next, nested: true);
                break;
            case "healthcheck":
                foreach (var f in node.Flags)
                {
                    if (f.Name == "retries")
                    {
                        if (!int.TryParse(f.Value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var r) || r < 0)
                        {
                            throw DockerfileErrors.At(file, node, $"--retries must be a non-negative integer, got \"{f.Value}\"");
                        }
                    }
                    else
                    {
                        try
                        {
                            var d = GoDuration.Parse(f.Value ?? string.Empty);
                            if (d != TimeSpan.Zero && d < TimeSpan.FromMilliseconds(1))
                            {
                                throw DockerfileErrors.At(file, node, $"{f.Name} cannot be less than 1ms");
                            }
                        }
                        catch (FormatException e)
                        {
                            throw DockerfileErrors.At(file, node, $"--{f.Name}: {e.Message}");
                        }
                    }
                }

                break;
        }
    }

    private static bool IsValidStageName(string name) =>
        name.Length > 0 && char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');
}
