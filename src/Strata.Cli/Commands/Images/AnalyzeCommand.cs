using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Cli.Output;
using Strata.Storage.Images.Analysis;
using Strata.Oci;

namespace Strata.Cli.Commands.Images;

/// <summary><c>strata image analyze IMAGE</c>: per-layer changes, wasted bytes and an efficiency score (after dive).</summary>
public static class AnalyzeCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var image = new Argument<string>("image") { Description = "Image name or ID" };
        var format = new Option<string?>("--format") { Description = "json for machine-readable output" };
        var top = new Option<int>("--top") { Description = "How many of the most wasteful files to list", DefaultValueFactory = _ => 10 };
        var cmd = new Command("analyze", "Show what each layer adds, changes and removes, and the space wasted by files later layers delete or overwrite");
        cmd.Arguments.Add(image);
        cmd.Options.Add(format);
        cmd.Options.Add(top);
        cmd.SetAction(async (parse, ct) =>
        {
            var engine = await globals.OpenEngineAsync(parse, ct);
            var img = await engine.Images.ResolveAsync(parse.GetValue(image)!, ct);
            var a = await new ImageAnalyzer(engine.Images, engine.Content).AnalyzeAsync(img, Math.Max(0, parse.GetValue(top)), ct);
            if (parse.GetValue(format) == "json")
            {
                Console.WriteLine(Json(a).ToJsonString(Strata.Cli.Output.CliJson.Indented));
                return 0;
            }

            Console.WriteLine($"Image: {a.Id}" + (img.Names.Count > 0 ? $" ({string.Join(", ", img.Names.Select(n => n.FamiliarString))})" : string.Empty));
            Console.WriteLine();
            var table = new Table("LAYER", "SIZE", "ADDED", "CHANGED", "REMOVED", "WASTED LATER", "CREATED BY");
            foreach (var l in a.Layers)
            {
                var by = l.CreatedBy.Length > 45 ? l.CreatedBy[..44] + "…" : l.CreatedBy;
                table.Add(l.Index.ToString(CultureInfo.InvariantCulture), Units.FormatSize(l.ContentSize), N(l.Added), N(l.Changed), N(l.Removed), Units.FormatSize(l.WastedLater), by);
            }

            table.Write(Console.Out);
            Console.WriteLine();
            Console.WriteLine($"Total file bytes:  {Units.FormatSize(a.TotalContentSize)}");
            Console.WriteLine($"Wasted space:      {Units.FormatSize(a.WastedBytes)} ({a.WastedBytes} bytes)");
            Console.WriteLine($"Efficiency:        {(a.Efficiency * 100).ToString("0.00", CultureInfo.InvariantCulture)} %");
            if (a.TopWasted.Count > 0)
            {
                Console.WriteLine();
                Console.WriteLine("Top wasted files:");
                var w = new Table("COUNT", "WASTED", "PATH");
                foreach (var f in a.TopWasted)
                {
                    w.Add(N(f.Count), Units.FormatSize(f.WastedBytes), f.Path);
                }

                w.Write(Console.Out);
            }

            return 0;
        });
        return cmd;
    }

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static JsonObject Json(ImageAnalysis a) => new()
    {
        ["Id"] = a.Id.ToString(),
        ["TotalSize"] = a.TotalContentSize,
        ["WastedBytes"] = a.WastedBytes,
        ["Efficiency"] = Math.Round(a.Efficiency, 6),
        ["Layers"] = new JsonArray(a.Layers.Select(l => (JsonNode?)new JsonObject
        {
            ["Index"] = l.Index,
            ["Digest"] = l.Digest.ToString(),
            ["CompressedSize"] = l.CompressedSize,
            ["Size"] = l.ContentSize,
            ["Added"] = l.Added,
            ["Changed"] = l.Changed,
            ["Removed"] = l.Removed,
            ["WastedLater"] = l.WastedLater,
            ["CreatedBy"] = l.CreatedBy,
        }).ToArray()),
        ["TopWastedFiles"] = new JsonArray(a.TopWasted.Select(f => (JsonNode?)new JsonObject
        {
            ["Path"] = f.Path,
            ["WastedBytes"] = f.WastedBytes,
            ["Count"] = f.Count,
        }).ToArray()),
    };
}
