using System.CommandLine;

namespace Strata.Cli.Commands.Containers;

/// <summary><c>strata stop [-t N] CONTAINER...</c> and <c>strata restart</c>.</summary>
public static class StopCommand
{
    public static Command Create(GlobalOptions globals, bool restart)
    {
        var names = new Argument<string[]>("container") { Arity = ArgumentArity.OneOrMore };
        var time = new Option<int?>("--time", "-t") { Description = "Seconds to wait before killing the container" };
        var cmd = new Command(restart ? "restart" : "stop", restart ? "Restart one or more containers" : "Stop one or more running containers");
        cmd.Arguments.Add(names);
        cmd.Options.Add(time);
        cmd.SetAction(async (parse, ct) =>
        {
            var engine = await ContainerCli.OpenAsync(globals, parse, ct);
            return await EachCommand.ForEachAsync(parse.GetValue(names)!, async n =>
            {
                await engine.Containers.StopAsync(n, parse.GetValue(time), ct);
                if (restart)
                {
                    await engine.Containers.StartDetachedAsync(n, ct);
                }

                Console.WriteLine(n);
            });
        });
        return cmd;
    }
}
