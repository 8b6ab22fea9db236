using System.CommandLine;
using Strata.Cli.Output;
using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Oci;

namespace Strata.Cli.Commands.Images;

/// <summary><c>strata inspect</c> / <c>image inspect</c>: a JSON array of docker-shaped documents, or <c>--format</c>.</summary>
public static class InspectCommand
{
    public static Command Create(GlobalOptions globals, string description)
    {
        var names = new Argument<string[]>("name") { Description = "Images to inspect (name or ID)", Arity = ArgumentArity.OneOrMore };
        var format = new Option<string?>("--format", "-f") { Description = "Format output using a Go template ({{.Id}}, {{json .Config}})" };
        var type = new Option<string?>("--type") { Description = "Only inspect objects of this type (image)" };
        var cmd = new Command("inspect", description);
        cmd.Arguments.Add(names);
        cmd.Options.Add(format);
        cmd.Options.Add(type);
        cmd.SetAction(async (parse, ct) =>
        {
            var only = parse.GetValue(type);
            if (only is not (null or "image" or "container"))
            {
                throw StrataException.Invalid("INSPECT_TYPE", $"\"{only}\" is not a valid value for --type");
            }

            var engine = await Containers.ContainerCli.OpenAsync(globals, parse, ct);

            // docker inspect: containers first (by name or ID), then images.
            return await InspectPrinter.PrintAsync(parse.GetValue(names)!, parse.GetValue(format), async n =>
            {
                if (only != "image" && await engine.Containers.Store.TryResolveAsync(n, ct) is { } container)
                {
                    return await Containers.InspectCommand.BuildAsync(engine, container, ct);
                }

                return only != "container" && await engine.Images.TryResolveAsync(n, ct) is { } image
                    ? await ImageInspectView.BuildAsync(engine, image, ct)
                    : null;
            }, n => $"No such object: {n}");
        });
        return cmd;
    }
}
