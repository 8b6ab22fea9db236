using System.CommandLine;
using Strata.Oci;
using Strata.Storage.Content;
using Strata.Storage.Images.Archives;

namespace Strata.Cli.Commands.Images;

/// <summary><c>strata save [-o FILE] [--format docker-archive|oci-archive] IMAGE...</c>.</summary>
public static class SaveCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var images = new Argument<string[]>("image") { Description = "Images to save (name or ID)", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string?>("--output", "-o") { Description = "Write to a file, instead of STDOUT" };
        var format = new Option<string?>("--format") { Description = "docker-archive (default) or oci-archive" };
        var cmd = new Command("save", "Save one or more images to a tar archive (streamed to STDOUT by default)");
        cmd.Arguments.Add(images);
        cmd.Options.Add(output);
        cmd.Options.Add(format);
        cmd.SetAction(async (parse, ct) =>
        {
            var fmt = parse.GetValue(format)?.ToLowerInvariant() switch
            {
                null or "" or "docker-archive" or "docker" => ArchiveFormat.DockerArchive,
                "oci-archive" or "oci" => ArchiveFormat.OciArchive,
                var f => throw StrataException.Invalid("FORMAT_INVALID", $"unknown archive format \"{f}\": use docker-archive or oci-archive"),
            };
            var path = parse.GetValue(output);
            if (path is null && !Console.IsOutputRedirected)
            {
                throw StrataException.Invalid("SAVE_TERMINAL", "cowardly refusing to save to a terminal. Use the -o flag or redirect");
            }

            var engine = await globals.OpenEngineAsync(parse, ct);
            var names = parse.GetValue(images)!;
            if (path is null)
            {
                await using var stdout = Console.OpenStandardOutput();
                await engine.ImageArchiveWriter.SaveAsync(names, stdout, fmt, ct);
                return 0;
            }

            // Write beside the target and rename: a failed save never leaves a half archive under the name.
            var full = Path.GetFullPath(path);
            var tmp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
            try
            {
                await using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
                {
                    await engine.ImageArchiveWriter.SaveAsync(names, fs, fmt, ct);
                    await fs.FlushAsync(ct);
                    fs.Flush(flushToDisk: true);
                }

                File.Move(tmp, full, overwrite: true);
                FileSync.SyncDirectory(Path.GetDirectoryName(full)!);
            }
            finally
            {
                File.Delete(tmp);
            }

            return 0;
        });
        return cmd;
    }
}
