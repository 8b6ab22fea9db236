using System.CommandLine;

namespace Strata.Cli.Commands.Containers;

/// <summary><c>strata top CONTAINER [ps OPTIONS]</c>.</summary>
public static class TopCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var name = new Argument<string>("container");
        var psArgs = new Argument<string[]>("ps-options") { Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("top", "Display the running processes of a container");
        cmd.Arguments.Add(name);
        cmd.Arguments.Add(psArgs);
        cmd.SetAction(async (parse, ct) =>
        {
            var engine = await ContainerCli.OpenAsync(globals, parse, ct);
            Console.Write(await engine.ContainerExec.TopAsync(parse.GetValue(name)!, parse.GetValue(psArgs) ?? [], ct));
            return 0;
        });
        return cmd;
    }
}
