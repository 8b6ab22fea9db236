using System.CommandLine;
using Strata.Oci;
using Strata.Storage.Images;

namespace Strata.Cli.Commands.Images;

/// <summary><c>strata import FILE|- [REPOSITORY[:TAG]] [-c CHANGE]... [-m MESSAGE]</c>, as <c>docker import</c>.</summary>
public static class ImportCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var file = new Argument<string>("file") { Description = "Root filesystem tarball (tar, tar.gz, tar.zst), or - for stdin" };
        var name = new Argument<string?>("repository") { Description = "REPOSITORY[:TAG] to name the image", Arity = ArgumentArity.ZeroOrOne };
        var change = new Option<string[]>("--change", "-c") { Description = "Apply a Dockerfile instruction to the image (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR, ...)" };
        var message = new Option<string?>("--message", "-m") { Description = "Set commit message for imported image" };
        var platform = new Option<string?>("--platform") { Description = "Set platform if server is multi-platform capable (os/arch[/variant])" };
        var format = new Option<string?>("--format") { Description = "Manifest format: docker (default) or oci" };
        var cmd = new Command("import", "Import the contents from a tarball to create a filesystem image");
        cmd.Arguments.Add(file);
        cmd.Arguments.Add(name);
        cmd.Options.Add(change);
        cmd.Options.Add(message);
        cmd.Options.Add(platform);
        cmd.Options.Add(format);
        cmd.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            var repo = parse.GetValue(name);
            var reference = repo is null ? null : ParseName(repo);
            var changes = parse.GetValue(change) ?? [];
            var plat = parse.GetValue(platform) is { } p ? Platform.Parse(p) : null;
            var fmt = ImageFormats.Parse(parse.GetValue(format));
            // Validate the change instructions before reading a possibly large input.
            _ = ChangeInstructions.Parse(changes);
            await using var input = path == "-" ? Console.OpenStandardInput() : OpenFile(path);
            var engine = await globals.OpenEngineAsync(parse, ct);
            var image = await engine.ImageImporter.ImportAsync(input, reference, changes, parse.GetValue(message), path, plat, fmt, ct);
            Console.WriteLine(image.Id.ToString());
            return 0;
        });
        return cmd;
    }

    /// <summary>A name to tag with: adds <c>latest</c>, refuses a digest (docker: "cannot import digest reference").</summary>
    public static Reference ParseName(string value)
    {
        var r = Reference.Parse(value);
        if (r.Digest is not null)
        {
            throw StrataException.Invalid("REFERENCE_INVALID", $"invalid reference \"{value}\": cannot use a digest reference here");
        }

        return r;
    }

    private static FileStream OpenFile(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (FileNotFoundException)
        {
            throw StrataException.NotFound("FILE_NOT_FOUND", $"open {path}: no such file or directory");
        }
        catch (DirectoryNotFoundException)
        {
            throw StrataException.NotFound("FILE_NOT_FOUND", $"open {path}: no such file or directory");
        }
    }
}
