using System.CommandLine;

namespace Strata.Cli.Commands.Containers;

/// <summary><c>strata kill [-s SIGNAL] CONTAINER...</c>.</summary>
public static class KillCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var names = new Argument<string[]>("container") { Arity = ArgumentArity.OneOrMore };
        var signal = new Option<string>("--signal", "-s") { Description = "Signal to send to the container", DefaultValueFactory = _ => "KILL" };
        var cmd = new Command("kill", "Kill one or more running containers");
        cmd.Arguments.Add(names);
        cmd.Options.Add(signal);
        cmd.SetAction(async (parse, ct) =>
        {
            var engine = await ContainerCli.OpenAsync(globals, parse, ct);
            return await EachCommand.ForEachAsync(parse.GetValue(names)!, async n =>
            {
                await engine.Containers.KillAsync(n, parse.GetValue(signal)!, ct);
                Console.WriteLine(n);
            });
        });
        return cmd;
    }
}
