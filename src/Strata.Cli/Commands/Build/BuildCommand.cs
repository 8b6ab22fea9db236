using System.CommandLine;
using System.Formats.Tar;
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
        var secrets = new Option<string[]>("--secret") { Description = "Secret to expose to the build (id=ID,src=FILE or id=ID,env=VAR)" };
        var ssh = new Option<string[]>("--ssh") { Description = "SSH agent socket to expose to the build (default|ID[=SOCKET])" };
        var allow = new Option<string[]>("--allow") { Description = "Extra privileged entitlement (security.insecure, network.host)" };
        var registry = new RegistryOptions();
        var cmd = new Command("build", "Build an image from a Dockerfile")
        {
            path, tags, file, buildArgs, labels, target, noCache, pull, squash, iidfile, quiet, secrets, ssh, allow,
        };
        registry.AddTo(cmd);
        cmd.SetAction(async (parse, ct) =>
        {
            var names = (parse.GetValue(tags) ?? []).Select(t => ParseTag(t)).ToList();
            var args = ParsePairs(parse.GetValue(buildArgs) ?? [], fromEnvironment: true, "--build-arg");
            var labelPairs = ParsePairs(parse.GetValue(labels) ?? [], fromEnvironment: false, "--label");
            var isQuiet = parse.GetValue(quiet);
            var contextArg = parse.GetValue(path)!;
            var secretSources = BuildFlags.ParseSecrets(parse.GetValue(secrets) ?? []);
            var sshSockets = BuildFlags.ParseSsh(parse.GetValue(ssh) ?? []);
            var allowed = BuildFlags.ParseAllow(parse.GetValue(allow) ?? []);
            var dockerfileArg = parse.GetValue(file);

            var settings = await registry.LoadAsync(parse, ct).ConfigureAwait(false);
            var engine = await globals.OpenEngineAsync(parse, ct).ConfigureAwait(false);
            var (context, dockerfileText, dockerfileName) = await LoadAsync(contextArg, dockerfileArg, Path.Combine(engine.Root, "build", "tmp"), ct).ConfigureAwait(false);
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
                    Secrets = secretSources,
                    Ssh = sshSockets,
                    Allow = allowed,
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

    /// <summary>Finds the context and the Dockerfile as docker's CLI does (PATH/Dockerfile, -f relative to the current directory, - on stdin).</summary>
    private static async Task<(BuildContext Context, string Text, string Name)> LoadAsync(string contextArg, string? dockerfileArg, string tempDir, CancellationToken ct)
    {
        if (contextArg == "-")
        {
            if (dockerfileArg == "-")
            {
                throw StrataException.Invalid("BUILD_STDIN", "invalid argument: can't use stdin for both build context and dockerfile");
            }

            // stdin is either a tar context or a lone Dockerfile.
            Directory.CreateDirectory(tempDir);
            var spool = Path.Combine(tempDir, "stdin-" + Guid.NewGuid().ToString("N"));
            try
            {
                await using (var stdin = Console.OpenStandardInput())
                await using (var f = File.Create(spool))
                {
                    await stdin.CopyToAsync(f, ct).ConfigureAwait(false);
                }

                if (await IsTarAsync(spool, ct).ConfigureAwait(false))
                {
                    BuildContext ctx;
                    await using (var f = File.OpenRead(spool))
                    {
                        ctx = await BuildContext.FromTarAsync(f, tempDir, ct).ConfigureAwait(false);
                    }

                    var name = dockerfileArg ?? "Dockerfile";
                    var inContext = Path.Combine(ctx.Root, name);
                    if (!File.Exists(inContext))
                    {
                        ctx.Dispose();
                        throw StrataException.NotFound("DOCKERFILE_NOT_FOUND", $"Cannot locate specified Dockerfile: {name}");
                    }

                    return (ctx, await File.ReadAllTextAsync(inContext, ct).ConfigureAwait(false), name);
                }

                var empty = Path.Combine(tempDir, "empty-" + Guid.NewGuid().ToString("N"));
                Directory.CreateDirectory(empty);
                var text = await File.ReadAllTextAsync(spool, ct).ConfigureAwait(false);
                var tarCtx = await BuildContext.FromDirectoryAsync(empty, ct).ConfigureAwait(false);
                return (tarCtx, text, "Dockerfile");
            }
            finally
            {
                File.Delete(spool);
            }
        }

        var context = await BuildContext.FromDirectoryAsync(contextArg, ct).ConfigureAwait(false);
        if (dockerfileArg == "-")
        {
            using var reader = new StreamReader(Console.OpenStandardInput());
            return (context, await reader.ReadToEndAsync(ct).ConfigureAwait(false), "Dockerfile");
        }

        string path;
        if (dockerfileArg is null)
        {
            path = Path.Combine(context.Root, "Dockerfile");
            if (!File.Exists(path) && File.Exists(Path.Combine(context.Root, "Containerfile")))
            {
                path = Path.Combine(context.Root, "Containerfile");
            }
        }
        else
        {
            path = Path.IsPathRooted(dockerfileArg) ? dockerfileArg : Path.GetFullPath(dockerfileArg);
            if (!File.Exists(path) && File.Exists(Path.Combine(context.Root, dockerfileArg)))
            {
                path = Path.Combine(context.Root, dockerfileArg);
            }
        }

        if (!File.Exists(path))
        {
            context.Dispose();
            throw StrataException.NotFound("DOCKERFILE_NOT_FOUND", $"unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat {path}: no such file or directory");
        }

        var display = Path.GetRelativePath(context.Root, path);
        if (display.StartsWith("..", StringComparison.Ordinal))
        {
            display = path;
        }

        return (context, await File.ReadAllTextAsync(path, ct).ConfigureAwait(false), display);
    }

    private static async Task<bool> IsTarAsync(string path, CancellationToken ct)
    {
        var header = new byte[512];
        int n;
        await using (var f = File.OpenRead(path))
        {
            n = await f.ReadAtLeastAsync(header, 512, throwOnEndOfStream: false, ct).ConfigureAwait(false);
        }

        if (n >= 2 && header[0] == 0x1f && header[1] == 0x8b)
        {
            return true;
        }

        if (n < 512)
        {
            return false;
        }

        try
        {
            await using var f = File.OpenRead(path);
            using var reader = new TarReader(f);
            return await reader.GetNextEntryAsync(cancellationToken: ct).ConfigureAwait(false) is not null;
        }
        catch (InvalidDataException)
        {
            return false;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
