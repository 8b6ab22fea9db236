using System.CommandLine;

namespace Strata.Cli.Commands.Containers;

/// <summary><c>strata create [OPTIONS] IMAGE [COMMAND] [ARG...]</c>: prints the new container's ID.</summary>
public static class CreateCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var flags = new RunFlags();
        var cmd = new Command("create", "Create a new container");
        flags.AddTo(cmd);
        cmd.SetAction(async (parse, ct) =>
        {
            var engine = await ContainerCli.OpenAsync(globals, parse, ct);
            var c = await ContainerCli.CreateAsync(engine, flags, parse, ct);
            Console.WriteLine(c.Id);
            return 0;
        });
        return cmd;
    }
}
