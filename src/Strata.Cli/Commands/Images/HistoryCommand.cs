using System.CommandLine;
using System.Text.Json.Nodes;
using Strata.Cli.Output;
using Strata.Oci;

namespace Strata.Cli.Commands.Images;

/// <summary><c>strata history IMAGE</c>: IMAGE, CREATED, CREATED BY, SIZE, COMMENT, newest first.</summary>
public static class HistoryCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var image = new Argument<string>("image") { Description = "Image name or ID" };
        var noTrunc = new Option<bool>("--no-trunc") { Description = "Don't truncate output" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only show image IDs" };
        var human = new Option<bool>("--human", "-H") { Description = "Print sizes and dates in human readable format", DefaultValueFactory = _ => true };
        var format = new Option<string?>("--format") { Description = "Format output using a Go template, or 'json'" };
        var cmd = new Command("history", "Show the history of an image");
        cmd.Arguments.Add(image);
        foreach (var o in new Option[] { noTrunc, quiet, human, format })
        {
            cmd.Options.Add(o);
        }

        cmd.SetAction(async (parse, ct) =>
        {
            var engine = await globals.OpenEngineAsync(parse, ct);
            var img = await engine.Images.ResolveAsync(parse.GetValue(image)!, ct);
            var (_, config) = await engine.Images.ReadAsync(img, ct);
            var layers = await engine.Images.LayersAsync(img, ct);
            var history = config.History ?? [];
            var rows = new List<(string Id, DateTimeOffset? Created, string CreatedBy, long Size, string Comment)>();
            var layerIndex = 0;
            foreach (var h in history)
            {
                long size = 0;
                if (h.EmptyLayer != true && layerIndex < layers.Count)
                {
                    size = layers[layerIndex].UncompressedSize ?? layers[layerIndex].Size;
                    layerIndex++;
                }

                rows.Add(("<missing>", h.Created, h.CreatedBy ?? string.Empty, size, h.Comment ?? string.Empty));
            }

            rows.Reverse();
            var noT = parse.GetValue(noTrunc);
            if (rows.Count > 0)
            {
                rows[0] = rows[0] with { Id = noT ? img.Id.ToString() : img.Id.Short };
            }
            else
            {
                rows.Add((noT ? img.Id.ToString() : img.Id.Short, config.Created, string.Empty, img.Size, string.Empty));
            }

            if (parse.GetValue(quiet))
            {
                foreach (var r in rows)
                {
                    Console.WriteLine(r.Id);
                }

                return 0;
            }

            var isHuman = parse.GetValue(human);
            string Created(DateTimeOffset? c) => c is null ? "N/A" : isHuman ? Humanize.Ago(c.Value) : ImageInspectView.Time(c.Value);
            string Size(long s) => isHuman ? Units.FormatSize(s) : s.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (parse.GetValue(format) is { } fmt)
            {
                var template = fmt == "json" ? null : GoTemplate.Parse(fmt.StartsWith("table ", StringComparison.Ordinal) ? fmt[6..] : fmt);
                foreach (var r in rows)
                {
                    var o = new JsonObject
                    {
                        ["Comment"] = r.Comment,
                        ["CreatedAt"] = r.Created is { } c ? ImageInspectView.Time(c) : string.Empty,
                        ["CreatedBy"] = r.CreatedBy,
                        ["CreatedSince"] = Created(r.Created),
                        ["ID"] = r.Id,
                        ["Size"] = Size(r.Size),
                    };
                    Console.WriteLine(template is null ? o.ToJsonString(Strata.Cli.Output.CliJson.Compact) : template.Render(o));
                }

                return 0;
            }

            var table = new Table("IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT");
            foreach (var r in rows)
            {
                var by = r.CreatedBy.Replace('\t', ' ').Replace('\n', ' ');
                if (!noT && by.Length > 45)
                {
                    by = by[..44] + "…";
                }

                table.Add(r.Id, Created(r.Created), by, Size(r.Size), r.Comment);
            }

            table.Write(Console.Out);
            return 0;
        });
        return cmd;
    }
}
