using System.CommandLine;
using Strata.Cli.Commands.Containers;

namespace Strata.Cli.Commands.Volumes;

/// <summary><c>strata volume create [--label K=V] [NAME]</c>.</summary>
public static class CreateVolumeCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var name = new Argument<string?>("name") { Arity = ArgumentArity.ZeroOrOne };
        var label = new Option<string[]>("--label") { Description = "Set metadata for a volume" };
        var cmd = new Command("create", "Create a volume");
        cmd.Arguments.Add(name);
        cmd.Options.Add(label);
        cmd.SetAction(async (parse, ct) =>
        {
            var engine = await ContainerCli.OpenAsync(globals, parse, ct);
            var labels = (parse.GetValue(label) ?? []).Select(l => l.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.Length == 2 ? kv[1] : string.Empty, StringComparer.Ordinal);
            var (volume, _) = await engine.Volumes.Store.CreateAsync(parse.GetValue(name), labels, anonymous: false, ct);
            Console.WriteLine(volume.Name);
            return 0;
        });
        return cmd;
    }
}
