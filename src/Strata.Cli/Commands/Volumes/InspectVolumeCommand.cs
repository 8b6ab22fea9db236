using System.CommandLine;
using System.Text.Json.Nodes;
using Strata.Cli.Commands.Containers;
using Strata.Cli.Commands.Images;
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
            var template = parse.GetValue(format) is { } f ? GoTemplate.Parse(f) : null;
            var docs = new JsonArray();
            var exit = 0;
            foreach (var n in parse.GetValue(names)!)
            {
                var v = await engine.Containers.Volumes.TryGetAsync(n, ct);
                if (v is null)
                {
                    await Console.Error.WriteLineAsync($"Error: get {n}: no such volume");
                    exit = 1;
                    continue;
                }

                var doc = VolumeView.Inspect(v);
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
                Console.WriteLine(docs.ToJsonString(CliJson.Indented));
            }

            return exit;
        });
        return cmd;
    }
}
