using System.CommandLine;
using System.Text.Json.Nodes;
using Strata.Cli.Output;
using Strata.Engine;
using Strata.Runtime.Containers;

namespace Strata.Cli.Commands.Containers;

/// <summary><c>strata container inspect</c>, and the container half of the top-level <c>inspect</c>.</summary>
public static class InspectCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var names = new Argument<string[]>("container") { Arity = ArgumentArity.OneOrMore };
        var format = new Option<string?>("--format", "-f") { Description = "Format output using a Go template" };
        var cmd = new Command("inspect", "Display detailed information on one or more containers");
        cmd.Arguments.Add(names);
        cmd.Options.Add(format);
        cmd.SetAction(async (parse, ct) =>
        {
            var engine = await ContainerCli.OpenAsync(globals, parse, ct);
            return await InspectPrinter.PrintAsync(parse.GetValue(names)!, parse.GetValue(format),
                async n => await engine.Containers.Store.TryResolveAsync(n, ct) is { } c ? await BuildAsync(engine, c, ct) : null,
                n => $"No such container: {n}");
        });
        return cmd;
    }

    public static async Task<JsonObject> BuildAsync(StrataEngine engine, ContainerRecord c, CancellationToken cancellationToken)
    {
        c = await engine.Containers.GetAsync(c.Id, cancellationToken);
        var lowers = await engine.Containers.LowerDirsAsync(c, cancellationToken);
        return ContainerView.Inspect(c, engine.Containers, engine.Snapshotter.Driver, lowers, engine.Snapshotter.DirectoryOf(c.SnapshotKey));
    }
}
