using System.CommandLine;

namespace Strata.Cli.Commands.Containers;

/// <summary><c>strata pause|unpause CONTAINER...</c> (the freezer cgroup, through the runtime).</summary>
public static class PauseCommand
{
    public static Command Create(GlobalOptions globals, bool unpause)
    {
        var names = new Argument<string[]>("container") { Arity = ArgumentArity.OneOrMore };
        var cmd = new Command(unpause ? "unpause" : "pause", unpause ? "Unpause all processes within one or more containers" : "Pause all processes within one or more containers");
        cmd.Arguments.Add(names);
        cmd.SetAction(async (parse, ct) =>
        {
            var engine = await ContainerCli.OpenAsync(globals, parse, ct);
            return await EachCommand.ForEachAsync(parse.GetValue(names)!, async n =>
            {
                if (unpause)
                {
                    await engine.Containers.UnpauseAsync(n, ct);
                }
                else
                {
                    await engine.Containers.PauseAsync(n, ct);
                }

                Console.WriteLine(n);
            });
        });
        return cmd;
    }
}
