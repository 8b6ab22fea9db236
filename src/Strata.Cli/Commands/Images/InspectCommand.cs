using System.CommandLine;
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

            var engine = await globals.OpenEngineAsync(parse, ct);
            var template = parse.GetValue(format) is { } f ? GoTemplate.Parse(f) : null;
            var docs = new JsonArray();
            var exit = 0;
            foreach (var n in parse.GetValue(names)!)
            {
                // docker inspect: containers first (by name or ID), then images.
                var container = only == "image" ? null : await engine.Containers.Store.TryResolveAsync(n, ct);
                if (container is not null)
                {
                    var cdoc = await Containers.InspectCommand.BuildAsync(engine, container, ct);
                    if (template is not null)
                    {
                        Console.WriteLine(template.Render(cdoc));
                    }
                    else
                    {
                        docs.Add((JsonNode)cdoc);
                    }

                    continue;
                }

                var image = only == "container" ? null : await engine.Images.TryResolveAsync(n, ct);
                if (image is null)
                {
                    await Console.Error.WriteLineAsync($"Error: No such object: {n}");
                    exit = 1;
                    continue;
                }

                var doc = await ImageInspectView.BuildAsync(engine, image, ct);
                if (template is not null)
                {
                    Console.WriteLine(template.Render(doc));
                }
                else
                {
                    docs.Add((JsonNode)doc);
                }
            }

            if (template is null)
            {
                Console.WriteLine(docs.ToJsonString(Strata.Cli.Output.CliJson.Indented));
            }

            return exit;
        });
        return cmd;
    }
}
