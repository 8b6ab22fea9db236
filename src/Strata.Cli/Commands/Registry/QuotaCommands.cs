using System.CommandLine;
using Strata.Cli.Output;
using Strata.Oci;
using Strata.Registry.Auth;

namespace Strata.Cli.Commands.Registry;

/// <summary><c>strata registry quota set|rm|ls</c>: storage limits per repository pattern.</summary>
public static class QuotaCommands
{
    public static Command Create(GlobalOptions globals, RegistryDataDir dataDir)
    {
        var cmd = new Command("quota", "Manage storage quotas per repository pattern");
        var pattern = new Argument<string>("pattern") { Description = "Repository pattern (team-a/*, team-a/**)" };
        var size = new Argument<string>("size") { Description = "Limit, e.g. 500m, 10g" };
        var set = new Command("set", "Limit the bytes each repository matching the pattern may hold") { pattern, size };
        set.SetAction(async (parse, ct) =>
        {
            var p = parse.GetValue(pattern)!;
            if (RepositoryPattern.Validate(p) is { } error)
            {
                throw StrataException.Invalid("PATTERN_INVALID", error);
            }

            var bytes = Units.ParseSize(parse.GetValue(size)!, "quota");
            await using var metadata = await dataDir.OpenMetadataAsync(parse, globals, ct);
            var store = metadata.Access;
            await store.SetQuotaAsync(p, bytes, ct);
            Console.WriteLine($"Quota for {p}: {Units.FormatSize(bytes)}");
            return 0;
        });
        var rmPattern = new Argument<string>("pattern") { Description = "Repository pattern" };
        var rm = new Command("rm", "Remove a quota") { rmPattern };
        rm.SetAction(async (parse, ct) =>
        {
            await using var metadata = await dataDir.OpenMetadataAsync(parse, globals, ct);
            var store = metadata.Access;
            var p = parse.GetValue(rmPattern)!;
            if (!(await store.ListQuotasAsync(ct)).Any(q => q.Pattern == p))
            {
                throw StrataException.NotFound("QUOTA_UNKNOWN", $"no quota for {p}");
            }

            await store.SetQuotaAsync(p, null, ct);
            Console.WriteLine(p);
            return 0;
        });
        var ls = new Command("ls", "List quotas and the repositories they cover with their usage");
        ls.SetAction(async (parse, ct) =>
        {
            await using var metadata = await dataDir.OpenMetadataAsync(parse, globals, ct);
            var store = metadata.Access;
            var quotas = await store.ListQuotasAsync(ct);
            var table = new Table("REPOSITORY", "PATTERN", "USED", "LIMIT");
            foreach (var repo in await metadata.Catalog.SearchRepositoriesAsync(null, ct))
            {
                var limit = await store.QuotaForAsync(repo, ct);
                if (limit is null)
                {
                    continue;
                }

                var q = quotas.First(x => RepositoryPattern.Matches(x.Pattern, repo) && x.Bytes == limit);
                table.Add(repo, q.Pattern, Units.FormatSize(await metadata.Blobs.RepositoryUsageAsync(repo, ct)), Units.FormatSize(limit.Value));
            }

            foreach (var q in quotas)
            {
                Console.WriteLine($"quota {q.Pattern}: {Units.FormatSize(q.Bytes)}");
            }

            table.Write(Console.Out);
            return 0;
        });
        cmd.Subcommands.Add(set);
        cmd.Subcommands.Add(rm);
        cmd.Subcommands.Add(ls);
        return cmd;
    }
}
