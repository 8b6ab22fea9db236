using System.CommandLine;
using System.Globalization;

namespace Strata.Cli.Commands.Containers;

/// <summary><c>strata wait CONTAINER...</c>: prints each exit code.</summary>
public static class WaitCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var names = new Argument<string[]>("container") { Arity = ArgumentArity.OneOrMore };
        var cmd = new Command("wait", "Block until one or more containers stop, then print their exit codes");
        cmd.Arguments.Add(names);
        cmd.SetAction(async (parse, ct) =>
        {
            var engine = await ContainerCli.OpenAsync(globals, parse, ct);
            return await EachCommand.ForEachAsync(parse.GetValue(names)!, async n =>
                Console.WriteLine((await engine.Containers.WaitAsync(n, ct)).ToString(CultureInfo.InvariantCulture)));
        });
        return cmd;
    }
}
