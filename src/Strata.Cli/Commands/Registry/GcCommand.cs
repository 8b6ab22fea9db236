using System.CommandLine;
using Strata.Cli.Output;
using Strata.Registry.Maintenance;
using Strata.Oci;

namespace Strata.Cli.Commands.Registry;

/// <summary><c>strata registry gc</c>: online garbage collection and retention (safe while the registry serves).</summary>
public static class GcCommand
{
    public static Command Create(GlobalOptions globals, RegistryDataDir dataDir)
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Report what would be removed, remove nothing" };
        var grace = new Option<string>("--grace") { Description = "Keep unreferenced blobs touched within this period", DefaultValueFactory = _ => "1h" };
        var keepTags = new Option<int?>("--keep-tags") { Description = "Retention: keep only the newest N tags per repository" };
        var untagged = new Option<string?>("--untagged-older-than") { Description = "Retention: delete untagged manifests older than this (e.g. 7d)" };
        var uploadTtl = new Option<string>("--upload-ttl") { Description = "Cancel upload sessions older than this", DefaultValueFactory = _ => "24h" };
        var wait = new Option<bool>("--wait") { Description = "Wait for a collection running elsewhere (another process or replica) instead of exiting" };
        var cmd = new Command("gc", "Remove unreferenced blobs, apply retention rules, cancel stale uploads") { dryRun, grace, keepTags, untagged, uploadTtl, wait };
        cmd.SetAction(async (parse, ct) =>
        {
            var options = new GcOptions
            {
                DryRun = parse.GetValue(dryRun),
                Grace = Units.ParseDuration(parse.GetValue(grace)!, "--grace"),
                KeepTags = parse.GetValue(keepTags) is { } k && k < 0 ? throw Strata.Oci.StrataException.Invalid("KEEP_TAGS", "--keep-tags must be 0 or more") : parse.GetValue(keepTags),
                UntaggedOlderThan = parse.GetValue(untagged) is { } u ? Units.ParseDuration(u, "--untagged-older-than") : null,
                UploadTtl = Units.ParseDuration(parse.GetValue(uploadTtl)!, "--upload-ttl"),
                WaitForOther = parse.GetValue(wait),
            };
            var (metadata, blobs) = await dataDir.OpenBackendsAsync(parse, globals, ct);
            await using var metadataScope = metadata;
            await using var blobsScope = blobs;
            var report = await new GarbageCollector(metadata, blobs).RunAsync(options, ct);
            var verb = report.DryRun ? "would delete" : "deleted";
            foreach (var t in report.TagsDeleted)
            {
                Console.WriteLine($"tag {verb}: {t}");
            }

            foreach (var m in report.ManifestsDeleted)
            {
                Console.WriteLine($"manifest {verb}: {m}");
            }

            foreach (var b in report.BlobsDeleted)
            {
                Console.WriteLine($"blob {verb}: {b}");
            }

            Console.WriteLine($"{(report.DryRun ? "Would free" : "Freed")} {Units.FormatSize(report.BytesFreed)} ({report.BlobsDeleted.Count} blobs, {report.ManifestsDeleted.Count} manifests, {report.TagsDeleted.Count} tags, {report.UploadsCancelled} uploads) in {report.Elapsed.TotalMilliseconds:F0} ms");
            return 0;
        });
        return cmd;
    }
}
