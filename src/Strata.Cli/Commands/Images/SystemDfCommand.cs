using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Strata.Cli.Output;
using Strata.Storage.Images;
using Strata.Oci;

namespace Strata.Cli.Commands.Images;

/// <summary><c>strata system df [-v]</c>: image space, shared vs unique layer bytes, reclaimable.</summary>
public static class SystemDfCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Show detailed information on space usage" };
        var format = new Option<string?>("--format") { Description = "json for machine-readable output" };
        var cmd = new Command("df", "Show disk usage");
        cmd.Options.Add(verbose);
        cmd.Options.Add(format);
        cmd.SetAction(async (parse, ct) =>
        {
            var engine = await globals.OpenEngineAsync(parse, ct);
            var du = await DiskUsage.ComputeAsync(engine.Images, engine.Content, engine.ImageUsageChecks, ct);
            if (parse.GetValue(format) == "json")
            {
                Console.WriteLine(new JsonObject
                {
                    ["Type"] = "Images",
                    ["TotalCount"] = du.Images.Count,
                    ["Active"] = du.ActiveImages,
                    ["Size"] = du.TotalSize,
                    ["SharedSize"] = du.SharedSize,
                    ["Reclaimable"] = du.Reclaimable,
                    ["Layers"] = du.Layers,
                    ["SharedLayers"] = du.SharedLayers,
                    ["Blobs"] = du.Blobs,
                    ["BlobBytes"] = du.BlobBytes,
                    ["Images"] = new JsonArray(du.Images.Select(i => (JsonNode?)new JsonObject
                    {
                        ["ID"] = i.Image.Id.ToString(),
                        ["Names"] = new JsonArray(i.Image.Names.Select(n => (JsonNode?)n.FamiliarString).ToArray()),
                        ["Size"] = i.Size,
                        ["SharedSize"] = i.SharedSize,
                        ["UniqueSize"] = i.UniqueSize,
                        ["Containers"] = i.Containers,
                    }).ToArray()),
                }.ToJsonString(Strata.Cli.Output.CliJson.Compact));
                return 0;
            }

            var t = new Table("TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE");
            var pct = du.TotalSize == 0 ? 0 : (int)(100.0 * du.Reclaimable / du.TotalSize);
            t.Add("Images", N(du.Images.Count), N(du.ActiveImages), Units.FormatSize(du.TotalSize), $"{Units.FormatSize(du.Reclaimable)} ({pct}%)");
            t.Write(Console.Out);
            Console.WriteLine();
            Console.WriteLine($"Layers: {du.Layers} ({du.SharedLayers} shared by several images, {Units.FormatSize(du.SharedSize)} shared); content store: {du.Blobs} blobs, {Units.FormatSize(du.BlobBytes)}");
            if (parse.GetValue(verbose))
            {
                Console.WriteLine();
                Console.WriteLine("Images space usage:");
                Console.WriteLine();
                var v = new Table("REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE", "SHARED SIZE", "UNIQUE SIZE", "CONTAINERS");
                foreach (var i in du.Images)
                {
                    IReadOnlyList<Strata.Oci.Reference?> names = i.Image.Names.Count > 0 ? [.. i.Image.Names] : [null];
                    foreach (var n in names)
                    {
                        v.Add(n?.FamiliarName ?? "<none>", n?.Tag ?? "<none>", i.Image.Id.Short, ImageInspectView.Ago(i.Image.Created), Units.FormatSize(i.Size), Units.FormatSize(i.SharedSize), Units.FormatSize(i.UniqueSize), N(i.Containers));
                    }
                }

                v.Write(Console.Out);
            }

            return 0;
        });
        return cmd;
    }

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
}
