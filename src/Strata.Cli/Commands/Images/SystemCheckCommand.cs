using System.CommandLine;
using Strata.Storage.Images;

namespace Strata.Cli.Commands.Images;

/// <summary><c>strata system check [--repair]</c>: verify blobs, images and layer snapshots; exit 1 when something stays wrong.</summary>
public static class SystemCheckCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var repair = new Option<bool>("--repair", "-r") { Description = "Remove corrupt blobs and stale leftovers, re-unpack layers from their blobs" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only print problems" };
        var cmd = new Command("check", "Check the store for consistency (blob digests, image blobs, layer snapshots)");
        cmd.Options.Add(repair);
        cmd.Options.Add(quiet);
        cmd.SetAction(async (parse, ct) =>
        {
            var engine = await globals.OpenEngineAsync(parse, ct);
            var report = await new StoreChecker(engine.Images, engine.Content, engine.Db).CheckAsync(parse.GetValue(repair), ct);
            var q = parse.GetValue(quiet);
            if (!q)
            {
                Console.WriteLine($"Checked {report.BlobsChecked} blobs, {report.ImagesChecked} images, {report.SnapshotsChecked} snapshots.");
            }

            foreach (var p in report.Problems)
            {
                Console.WriteLine($"{(p.Repaired ? "REPAIRED" : "PROBLEM")}: {p.Kind} {p.Subject}: {p.Detail}");
            }

            foreach (var b in report.BrokenImages)
            {
                Console.WriteLine($"BROKEN IMAGE: {b}");
            }

            if (!q)
            {
                foreach (var n in report.Notes)
                {
                    Console.WriteLine($"note: {n}");
                }

                Console.WriteLine(report.Clean ? "No problems found." : "Problems remain" + (parse.GetValue(repair) ? "." : ": run with --repair."));
            }

            return report.Clean ? 0 : 1;
        });
        return cmd;
    }
}
