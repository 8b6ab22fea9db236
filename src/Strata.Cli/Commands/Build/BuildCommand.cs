using System.CommandLine;
using Strata.Build.Building;
using Strata.Build.Context;
using Strata.Cli.Commands.Distribution;
using Strata.Oci;

namespace Strata.Cli.Commands.Build;

/// <summary><c>strata build [OPTIONS] PATH | -</c>, docker build's classic builder flags.</summary>
public static class BuildCommand
{
    public static Command Create(GlobalOptions globals)
    {
        ArgumentNullException.ThrowIfNull(globals);
        var path = new Argument<string>("PATH") { Description = "Build context: a directory, or - for a tar (or a Dockerfile) on stdin" };
        var tags = new Option<string[]>("--tag", "-t") { Description = "Name and optionally a tag in the name:tag format", AllowMultipleArgumentsPerToken = false };
        var file = new Option<string?>("--file", "-f") { Description = "Name of the Dockerfile (default: PATH/Dockerfile)" };
        var buildArgs = new Option<string[]>("--build-arg") { Description = "Set build-time variables (KEY=VALUE, or KEY to take it from the environment)" };
        var labels = new Option<string[]>("--label") { Description = "Set metadata for an image (KEY=VALUE)" };
        var target = new Option<string?>("--target") { Description = "Set the target build stage to build" };
        var noCache = new Option<bool>("--no-cache") { Description = "Do not use cache when building the image" };
        var pull = new Option<bool>("--pull") { Description = "Always attempt to pull a newer version of the image" };
        var squash = new Option<bool>("--squash") { Description = "Squash newly built layers into a single new layer" };
        var iidfile = new Option<string?>("--iidfile") { Description = "Write the image ID to the file" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Suppress the build output and print image ID on success" };
        var registry = new RegistryOptions();
        var cmd = new Command("build", "Build an image from a Dockerfile")
        {
            path, tags, file, buildArgs, labels, target, noCache, pull, squash, iidfile, quiet,
        };
        registry.AddTo(cmd);
        cmd.SetAction(async (parse, ct) =>
        {
            var names = (parse.GetValue(tags) ?? []).Select(t => ParseTag(t)).ToList();
            var args = ParsePairs(parse.GetValue(buildArgs) ?? [], fromEnvironment: true, "--build-arg");
            var labelPairs = ParsePairs(parse.GetValue(labels) ?? [], fromEnvironment: false, "--label");
            var isQuiet = parse.GetValue(quiet);
            var contextArg = parse.GetValue(path)!;
            var dockerfileArg = parse.GetValue(file);

            var settings = await registry.LoadAsync(parse, ct).ConfigureAwait(false);
            var engine = await globals.OpenEngineAsync(parse, ct).ConfigureAwait(false);
            var (context, dockerfileText, dockerfileName) = await engine.OpenBuildInputAsync(contextArg, dockerfileArg, Console.OpenStandardInput, ct).ConfigureAwait(false);
            using (context)
            {
                await using var stdout = Console.OpenStandardOutput();
                var result = await engine.BuildAsync(new BuildRequest
                {
                    Context = context,
                    DockerfileText = dockerfileText,
                    DockerfileName = dockerfileName,
                    Tags = names,
                    BuildArgs = args,
                    Labels = labelPairs,
                    Target = parse.GetValue(target),
                    NoCache = parse.GetValue(noCache),
                    Pull = parse.GetValue(pull),
                    Squash = parse.GetValue(squash),
                    Output = isQuiet ? Stream.Null : stdout,
                    Registry = settings,
                    PullProgress = isQuiet ? null : TransferPrinter.ForConsole(quiet: false),
                }, ct).ConfigureAwait(false);
                if (isQuiet)
                {
                    await Console.Out.WriteLineAsync(result.Image.Id.ToString()).ConfigureAwait(false);
                    foreach (var a in result.Advice)
                    {
                        await Console.Error.WriteLineAsync("[Warning] " + a.Message).ConfigureAwait(false);
                    }
                }

                if (parse.GetValue(iidfile) is { Length: > 0 } iid)
                {
                    await File.WriteAllTextAsync(iid, result.Image.Id.ToString(), ct).ConfigureAwait(false);
                }
            }

            return 0;
        });
        return cmd;
    }

    private static Reference ParseTag(string tag)
    {
        try
        {
            var r = Reference.Parse(tag);
            if (r.Digest is not null)
            {
                throw StrataException.Invalid("TAG_INVALID", $"invalid argument \"{tag}\" for \"-t, --tag\" flag: a tag cannot have a digest");
            }

            return r.Tag is null ? r with { Tag = Reference.DefaultTag } : r;
        }
        catch (StrataException e) when (e.Code != "TAG_INVALID")
        {
            throw StrataException.Invalid("TAG_INVALID", $"invalid argument \"{tag}\" for \"-t, --tag\" flag: {e.Message}");
        }
    }

    private static Dictionary<string, string> ParsePairs(IEnumerable<string> values, bool fromEnvironment, string flag)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var v in values)
        {
            var eq = v.IndexOf('=', StringComparison.Ordinal);
            if (eq == 0)
            {
                throw StrataException.Invalid("FLAG_INVALID", $"invalid argument \"{v}\" for \"{flag}\" flag: empty key");
            }

            if (eq < 0)
            {
                if (fromEnvironment)
                {
                    // docker: --build-arg KEY takes the value from the environment, and is skipped when unset.
                    if (Environment.GetEnvironmentVariable(v) is { } env)
                    {
                        d[v] = env;
                    }

                    continue;
                }

                d[v] = string.Empty;
                continue;
            }

            d[v[..eq]] = v[(eq + 1)..];
        }

        return d;
    }
}
