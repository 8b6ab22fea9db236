using System.CommandLine;

namespace Strata.Cli.Commands.Containers;

/// <summary><c>strata rm [-f] [-v] CONTAINER...</c>.</summary>
public static class RemoveCommand
{
    public static Command Create(GlobalOptions globals, string name)
    {
        var names = new Argument<string[]>("container") { Arity = ArgumentArity.OneOrMore };
        var force = new Option<bool>("--force", "-f") { Description = "Force the removal of a running container (uses SIGKILL)" };
        var volumes = new Option<bool>("--volumes", "-v") { Description = "Remove anonymous volumes associated with the container" };
        var cmd = new Command(name, "Remove one or more containers");
        cmd.Arguments.Add(names);
        cmd.Options.Add(force);
        cmd.Options.Add(volumes);
        cmd.SetAction(async (parse, ct) =>
        {
            var engine = await ContainerCli.OpenAsync(globals, parse, ct);
            return await EachCommand.ForEachAsync(parse.GetValue(names)!, async n =>
            {
                await engine.Containers.RemoveAsync(n, parse.GetValue(force), parse.GetValue(volumes), ct);
                Console.WriteLine(n);
            });
        });
        return cmd;
    }
}
