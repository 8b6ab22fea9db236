using System.CommandLine;
using System.Text.Json.Nodes;
using Strata.Cli.Commands.Containers;
using Strata.Cli.Commands.Images;
using Strata.Cli.Output;

namespace Strata.Cli.Commands.Volumes;

/// <summary><c>strata volume ls [-q] [--format]</c>.</summary>
public static class ListVolumesCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only display volume names" };
        var format = new Option<string?>("--format") { Description = "Format output using a Go template, or 'json'" };
        var cmd = new Command("ls", "List volumes");
        cmd.Aliases.Add("list");
        cmd.Options.Add(quiet);
        cmd.Options.Add(format);
        cmd.SetAction(async (parse, ct) =>
        {
            var engine = await ContainerCli.OpenAsync(globals, parse, ct);
            var volumes = await engine.Volumes.Store.ListAsync(ct);
            if (parse.GetValue(quiet))
            {
                foreach (var v in volumes)
                {
                    Console.WriteLine(v.Name);
                }

                return 0;
            }

            if (parse.GetValue(format) is { } fmt)
            {
                var template = fmt == "json" ? null : GoTemplate.Parse(fmt);
                foreach (var v in volumes)
                {
                    JsonNode row = new JsonObject { ["Driver"] = v.Driver, ["Name"] = v.Name, ["Mountpoint"] = v.Mountpoint, ["Scope"] = "local" };
                    Console.WriteLine(template is null ? row.ToJsonString(CliJson.Compact) : template.Render(row));
                }

                return 0;
            }

            var table = new Table("DRIVER", "VOLUME NAME");
            foreach (var v in volumes)
            {
                table.Add(v.Driver, v.Name);
            }

            table.Write(Console.Out);
            return 0;
        });
        return cmd;
    }
}
