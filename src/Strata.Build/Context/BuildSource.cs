using System.Formats.Tar;
using Strata.Oci;

namespace Strata.Build.Context;

/// <summary>
/// What <c>build PATH|-</c> and <c>-f</c> name, resolved as docker's CLI does: a context directory with its
/// Dockerfile (or Containerfile), a Dockerfile on stdin, or stdin sniffed as a (gzip) tar context or a lone Dockerfile.
/// </summary>
public static class BuildSource
{
    /// <summary>Finds the context and the Dockerfile as docker's CLI does (PATH/Dockerfile, -f relative to the current directory, - on stdin).</summary>
    public static async Task<BuildInput> LoadAsync(string contextArg, string? dockerfileArg, Func<Stream> openStdin, string tempDir, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(contextArg);
        ArgumentNullException.ThrowIfNull(openStdin);
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
                await using (var stdin = openStdin())
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

                    return new BuildInput(ctx, await File.ReadAllTextAsync(inContext, ct).ConfigureAwait(false), name);
                }

                var empty = Path.Combine(tempDir, "empty-" + Guid.NewGuid().ToString("N"));
                Directory.CreateDirectory(empty);
                var text = await File.ReadAllTextAsync(spool, ct).ConfigureAwait(false);
                var tarCtx = await BuildContext.FromDirectoryAsync(empty, ct).ConfigureAwait(false);
                return new BuildInput(tarCtx, text, "Dockerfile");
            }
            finally
            {
                File.Delete(spool);
            }
        }

        var context = await BuildContext.FromDirectoryAsync(contextArg, ct).ConfigureAwait(false);
        if (dockerfileArg == "-")
        {
            using var reader = new StreamReader(openStdin());
            return new BuildInput(context, await reader.ReadToEndAsync(ct).ConfigureAwait(false), "Dockerfile");
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

        return new BuildInput(context, await File.ReadAllTextAsync(path, ct).ConfigureAwait(false), display);
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
