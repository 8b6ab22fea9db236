using System.CommandLine;
using Strata.Oci;

namespace Strata.Cli.Commands.Images;

/// <summary><c>strata load [-i FILE] [-q]</c>: docker-archive or oci-archive, plain or compressed, STDIN by default.</summary>
public static class LoadCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var input = new Option<string?>("--input", "-i") { Description = "Read from tar archive file, instead of STDIN" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Suppress the load output" };
        var noUnpack = new Option<bool>("--no-unpack") { Description = "Only store the blobs; unpack on first use" };
        var cmd = new Command("load", "Load an image from a tar archive or STDIN");
        cmd.Options.Add(input);
        cmd.Options.Add(quiet);
        cmd.Options.Add(noUnpack);
        cmd.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(input);
            if (path is null && !Console.IsInputRedirected)
            {
                throw StrataException.Invalid("LOAD_TERMINAL", "requested load from stdin, but stdin is empty");
            }

            if (path is not null && !File.Exists(path))
            {
                throw StrataException.NotFound("FILE_NOT_FOUND", $"open {path}: no such file or directory");
            }

            var engine = await globals.OpenEngineAsync(parse, ct);
            await using var stream = path is null
                ? Console.OpenStandardInput()
                : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            var loaded = await engine.ImageArchiveLoader.LoadAsync(stream, ct);
            if (!parse.GetValue(noUnpack))
            {
                foreach (var image in loaded)
                {
                    await engine.Images.UnpackAsync(await engine.Images.ResolveAsync(image.Id.ToString(), ct), ct);
                }
            }
            if (!parse.GetValue(quiet))
            {
                foreach (var image in loaded)
                {
                    if (image.Names.Count == 0)
                    {
                        Console.WriteLine($"Loaded image ID: {image.Id}");
                    }

                    foreach (var n in image.Names)
                    {
                        Console.WriteLine($"Loaded image: {n.FamiliarString}");
                    }
                }
            }

            return 0;
        });
        return cmd;
    }
}
