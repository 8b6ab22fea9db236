using System.CommandLine;
using Strata.Oci;

namespace Strata.Cli.Commands.Containers;

/// <summary><c>strata export [-o FILE] CONTAINER</c>: the filesystem as a tar (to stdout unless -o).</summary>
public static class ExportCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var name = new Argument<string>("container");
        var output = new Option<string?>("--output", "-o") { Description = "Write to a file, instead of STDOUT" };
        var cmd = new Command("export", "Export a container's filesystem as a tar archive");
        cmd.Arguments.Add(name);
        cmd.Options.Add(output);
        cmd.SetAction(async (parse, ct) =>
        {
            var engine = await ContainerCli.OpenAsync(globals, parse, ct);
            var file = parse.GetValue(output);
            if (file is null && !Console.IsOutputRedirected)
            {
                throw StrataException.Invalid("EXPORT_TTY", "cowardly refusing to save to a terminal. Use the -o flag or redirect");
            }

            if (file is null)
            {
                await using var stdout = Console.OpenStandardOutput();
                await engine.ContainerFiles.ExportAsync(parse.GetValue(name)!, stdout, ct);
                return 0;
            }

            var tmp = file + ".tmp-" + Environment.ProcessId;
            try
            {
                await using (var f = File.Create(tmp))
                {
                    await engine.ContainerFiles.ExportAsync(parse.GetValue(name)!, f, ct);
                }

                File.Move(tmp, file, overwrite: true);
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
