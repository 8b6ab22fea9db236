using System.CommandLine;
using Strata.Cli.Output;
using Strata.Oci;
using Strata.Registry.Auth;

namespace Strata.Cli.Commands.Registry;

/// <summary><c>strata registry access grant|revoke|ls</c>: who may pull, push or delete where.</summary>
public static class AccessCommands
{
    public static Command Create(GlobalOptions globals, RegistryDataDir dataDir)
    {
        var cmd = new Command("access", "Manage access rules (user:NAME, group:NAME, authenticated, anonymous on repository patterns)");
        cmd.Subcommands.Add(Grant(globals, dataDir));
        cmd.Subcommands.Add(Revoke(globals, dataDir));
        cmd.Subcommands.Add(List(globals, dataDir));
        return cmd;
    }

    private static Command Grant(GlobalOptions globals, RegistryDataDir dataDir)
    {
        var subject = new Argument<string>("subject") { Description = "user:NAME, group:NAME, authenticated or anonymous" };
        var pattern = new Argument<string>("pattern") { Description = "Repository pattern: team-a/*, team-a/**, ** for all" };
        var actions = new Argument<string>("actions") { Description = "pull,push,delete (or *)" };
        var cmd = new Command("grant", "Grant actions on repositories matching a pattern") { subject, pattern, actions };
        cmd.SetAction(async (parse, ct) =>
        {
            var s = parse.GetValue(subject)!;
            var p = parse.GetValue(pattern)!;
            AccessSubject.Check(s);
            AccessSubject.CheckPattern(p);
            var list = RegistryAction.ParseList(parse.GetValue(actions)!);
            await using var metadata = await dataDir.OpenMetadataAsync(parse, globals, ct);
            var store = metadata.Access;
            await store.GrantAsync(s, p, list, ct);
            Console.WriteLine($"Granted {string.Join(',', list)} on {p} to {s}");
            return 0;
        });
        return cmd;
    }

    private static Command Revoke(GlobalOptions globals, RegistryDataDir dataDir)
    {
        var subject = new Argument<string>("subject") { Description = "user:NAME, group:NAME, authenticated or anonymous" };
        var pattern = new Argument<string>("pattern") { Description = "Repository pattern as granted" };
        var actions = new Argument<string?>("actions") { Description = "Actions to revoke (default all)", Arity = ArgumentArity.ZeroOrOne };
        var cmd = new Command("revoke", "Revoke actions granted on a pattern") { subject, pattern, actions };
        cmd.SetAction(async (parse, ct) =>
        {
            var s = parse.GetValue(subject)!;
            var p = parse.GetValue(pattern)!;
            var a = parse.GetValue(actions);
            var list = a is null ? [] : RegistryAction.ParseList(a);
            await using var metadata = await dataDir.OpenMetadataAsync(parse, globals, ct);
            var store = metadata.Access;
            if (!await store.RevokeAsync(s, p, list, ct))
            {
                throw StrataException.NotFound("RULE_UNKNOWN", $"no rule for {s} on {p}");
            }

            Console.WriteLine($"Revoked {(list.Count == 0 ? "all" : string.Join(',', list))} on {p} from {s}");
            return 0;
        });
        return cmd;
    }

    private static Command List(GlobalOptions globals, RegistryDataDir dataDir)
    {
        var cmd = new Command("ls", "List access rules");
        cmd.Aliases.Add("list");
        cmd.SetAction(async (parse, ct) =>
        {
            await using var metadata = await dataDir.OpenMetadataAsync(parse, globals, ct);
            var store = metadata.Access;
            var table = new Table("SUBJECT", "PATTERN", "ACTIONS");
            foreach (var r in await store.ListRulesAsync(ct))
            {
                table.Add(r.Subject, r.Pattern, string.Join(',', r.Actions));
            }

            table.Write(Console.Out);
            return 0;
        });
        return cmd;
    }
}
