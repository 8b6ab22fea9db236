using System.CommandLine;

namespace Strata.Cli.Commands.Containers;

/// <summary><c>strata diff CONTAINER</c>: A/C/D lines as docker prints them.</summary>
public static class DiffCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var name = new Argument<string>("container");
        var cmd = new Command("diff", "Inspect changes to files or directories on a container's filesystem");
        cmd.Arguments.Add(name);
        cmd.SetAction(async (parse, ct) =>
        {
            var engine = await ContainerCli.OpenAsync(globals, parse, ct);
            foreach (var change in await engine.ContainerFiles.DiffAsync(parse.GetValue(name)!, ct))
            {
                Console.WriteLine($"{change.Kind} {change.Path}");
            }

            return 0;
        });
        return cmd;
    }
}
