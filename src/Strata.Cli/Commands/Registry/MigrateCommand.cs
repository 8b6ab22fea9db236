using System.CommandLine;
using Strata.Cli.Output;
using Strata.Oci;
using Strata.Registry.Maintenance;
using Strata.Registry.Server;

namespace Strata.Cli.Commands.Registry;

/// <summary>
/// <c>strata registry migrate --from DATA_DIR --metadata postgres://... --blob-store s3://...</c>:
/// copies a single-machine registry onto scale-out backends while it keeps serving reads.
/// </summary>
public static class MigrateCommand
{
    public static Command Create(GlobalOptions globals, RegistryDataDir dataDir)
    {
        var from = new Option<string>("--from") { Description = "Data directory of the registry to copy (its registry.db and content/)", Required = true };
        var cmd = new Command("migrate", "Copy a registry (metadata and blobs, verified) onto the backends --metadata and --blob-store name") { from };
        cmd.SetAction(async (parse, ct) =>
        {
            var source = Path.GetFullPath(parse.GetValue(from)!);
            if (!File.Exists(Path.Combine(source, "registry.db")))
            {
                throw StrataException.NotFound("REGISTRY_NOT_FOUND", $"no registry in {source} (registry.db missing)");
            }

            if (parse.GetValue(dataDir.Metadata) is null && parse.GetValue(dataDir.BlobStore) is null)
            {
                throw StrataException.Invalid("MIGRATE_TARGET", "give the target with --metadata and/or --blob-store");
            }

            var (fromMeta, fromBlobs) = await RegistryBackends.OpenAsync(null, null, new(), source, ct);
            await using var fromMetaScope = fromMeta;
            await using var fromBlobsScope = fromBlobs;
            var (toMeta, toBlobs) = await dataDir.OpenBackendsAsync(parse, globals, ct);
            await using var toMetaScope = toMeta;
            await using var toBlobsScope = toBlobs;
            var report = await new RegistryMigrator(fromMeta, fromBlobs, toMeta, toBlobs)
                .RunAsync(new Progress<string>(repo => Console.Error.WriteLine($"copied {repo}")), ct);
            Console.WriteLine($"Copied {report.Repositories} repositories ({report.Manifests} manifests, {report.Tags} tags, {report.Blobs} blobs, {Units.FormatSize(report.BlobBytes)}), "
                + $"{report.Users} users, {report.Rules} rules, {report.Quotas} quotas from {fromMeta.Location} to {toMeta.Location} + {toBlobs.Location} in {report.Elapsed.TotalSeconds:F1} s");
            return 0;
        });
        return cmd;
    }
}
