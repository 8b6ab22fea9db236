using System.CommandLine;

namespace Strata.Cli.Commands.Containers;

/// <summary><c>strata start [-a] [-i] CONTAINER...</c>.</summary>
public static class StartCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var names = new Argument<string[]>("container") { Arity = ArgumentArity.OneOrMore };
        var attach = new Option<bool>("--attach", "-a") { Description = "Attach STDOUT/STDERR and forward signals" };
        var interactive = new Option<bool>("--interactive", "-i") { Description = "Attach container's STDIN" };
        var cmd = new Command("start", "Start one or more stopped containers");
        cmd.Arguments.Add(names);
        cmd.Options.Add(attach);
        cmd.Options.Add(interactive);
        cmd.SetAction(async (parse, ct) =>
        {
            var engine = await ContainerCli.OpenAsync(globals, parse, ct);
            var list = parse.GetValue(names)!;
            if (parse.GetValue(attach) || parse.GetValue(interactive))
            {
                if (list.Length != 1)
                {
                    throw Strata.Oci.StrataException.Invalid("START_ATTACH", "you cannot start and attach multiple containers at once");
                }

                var c = await engine.Containers.GetAsync(list[0], ct);
                return await engine.Containers.RunAttachedAsync(c.Id, ContainerCli.AttachModeFor(c.Spec.Tty, parse.GetValue(interactive)), ct);
            }

            return await EachCommand.ForEachAsync(list, async n =>
            {
                await engine.Containers.StartDetachedAsync(n, ct);
                Console.WriteLine(n);
            });
        });
        return cmd;
    }
}
