using System.CommandLine;
using Strata.Cli.Commands.Containers;

namespace Strata.Cli.Commands.Volumes;

/// <summary><c>strata volume rm [-f] VOLUME...</c>: refuses volumes in use.</summary>
public static class RemoveVolumeCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var names = new Argument<string[]>("volume") { Arity = ArgumentArity.OneOrMore };
        var force = new Option<bool>("--force", "-f") { Description = "Force the removal of one or more volumes" };
        var cmd = new Command("rm", "Remove one or more volumes");
        cmd.Aliases.Add("remove");
        cmd.Arguments.Add(names);
        cmd.Options.Add(force);
        cmd.SetAction(async (parse, ct) =>
        {
            var engine = await ContainerCli.OpenAsync(globals, parse, ct);
            return await EachCommand.ForEachAsync(parse.GetValue(names)!, async n =>
            {
                await engine.Volumes.RemoveAsync(n, parse.GetValue(force), ct);
                Console.WriteLine(n);
            });
        });
        return cmd;
    }
}
