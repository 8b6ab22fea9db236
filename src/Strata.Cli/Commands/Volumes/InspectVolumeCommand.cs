using System.CommandLine;
using Strata.Cli.Commands.Containers;
using Strata.Cli.Output;

namespace Strata.Cli.Commands.Volumes;

/// <summary><c>strata volume inspect [-f] VOLUME...</c>.</summary>
public static class InspectVolumeCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var names = new Argument<string[]>("volume") { Arity = ArgumentArity.OneOrMore };
        var format = new Option<string?>("--format", "-f") { Description = "Format output using a Go template" };
        var cmd = new Command("inspect", "Display detailed information on one or more volumes");
        cmd.Arguments.Add(names);
        cmd.Options.Add(format);
        cmd.SetAction(async (parse, ct) =>
        {
            var engine = await ContainerCli.OpenAsync(globals, parse, ct);
            return await InspectPrinter.PrintAsync(parse.GetValue(names)!, parse.GetValue(format),
                async n => await engine.Volumes.Store.TryGetAsync(n, ct) is { } v ? VolumeView.Inspect(v) : null,
                n => $"get {n}: no such volume");
        });
        return cmd;
    }
}
