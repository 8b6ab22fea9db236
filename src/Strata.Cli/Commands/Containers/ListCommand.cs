using System.CommandLine;
using System.Text.Json.Nodes;
using Strata.Cli.Commands.Images;
using Strata.Cli.Output;

namespace Strata.Cli.Commands.Containers;

/// <summary><c>strata ps [-a] [-q] [--no-trunc] [--format TEMPLATE|json] [-l]</c>.</summary>
public static class ListCommand
{
    public static Command Create(GlobalOptions globals, string name)
    {
        var all = new Option<bool>("--all", "-a") { Description = "Show all containers (default shows just running)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only display container IDs" };
        var noTrunc = new Option<bool>("--no-trunc") { Description = "Don't truncate output" };
        var latest = new Option<bool>("--latest", "-l") { Description = "Show the latest created container (includes all states)" };
        var format = new Option<string?>("--format") { Description = "Format output using a Go template, or 'json'" };
        var cmd = new Command(name, "List containers");
        foreach (var o in new Option[] { all, quiet, noTrunc, latest, format })
        {
            cmd.Options.Add(o);
        }

        cmd.SetAction(async (parse, ct) =>
        {
            var engine = await ContainerCli.OpenAsync(globals, parse, ct);
            var list = await engine.Containers.ListAsync(ct);
            var showAll = parse.GetValue(all) || parse.GetValue(latest);
            var rows = list.Where(c => showAll || c.State.IsActive).ToList();
            if (parse.GetValue(latest))
            {
                rows = [.. rows.Take(1)];
            }

            var trunc = !parse.GetValue(noTrunc);
            if (parse.GetValue(quiet))
            {
                foreach (var c in rows)
                {
                    Console.WriteLine(trunc ? c.ShortId : c.Id);
                }

                return 0;
            }

            var now = DateTimeOffset.UtcNow;
            if (parse.GetValue(format) is { } fmt)
            {
                var template = fmt == "json" ? null : GoTemplate.Parse(fmt.StartsWith("table ", StringComparison.Ordinal) ? fmt[6..] : fmt);
                foreach (var c in rows)
                {
                    JsonNode row = ContainerView.Row(c, !trunc, now);
                    Console.WriteLine(template is null ? row.ToJsonString(CliJson.Compact) : template.Render(row));
                }

                return 0;
            }

            var table = new Table("CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES");
            foreach (var c in rows)
            {
                table.Add(trunc ? c.ShortId : c.Id, c.Spec.Image, ContainerView.Command(c, !trunc), Humanize.Ago(c.Created, now), ContainerView.Status(c, now), ContainerView.Ports(c), c.Name);
            }

            table.Write(Console.Out);
            return 0;
        });
        return cmd;
    }
}
