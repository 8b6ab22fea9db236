using System.CommandLine;
using Strata.Cli.Output;
using Strata.Oci;
using Strata.Registry.Auth;

namespace Strata.Cli.Commands.Registry;

/// <summary><c>strata registry user add|passwd|rm|ls|import</c>.</summary>
public static class UserCommands
{
    public static Command Create(GlobalOptions globals, RegistryDataDir dataDir)
    {
        var cmd = new Command("user", "Manage registry users (bcrypt passwords)");
        cmd.Subcommands.Add(Add(globals, dataDir));
        cmd.Subcommands.Add(Passwd(globals, dataDir));
        cmd.Subcommands.Add(Remove(globals, dataDir));
        cmd.Subcommands.Add(List(globals, dataDir));
        cmd.Subcommands.Add(Import(globals, dataDir));
        return cmd;
    }

    private static Command Add(GlobalOptions globals, RegistryDataDir dataDir)
    {
        var name = new Argument<string>("name") { Description = "User name" };
        var password = new Option<string?>("--password", "-p") { Description = "Password (prefer --password-stdin)" };
        var stdin = new Option<bool>("--password-stdin") { Description = "Read the password from stdin" };
        var admin = new Option<bool>("--admin") { Description = "May do everything, including managing users" };
        var groups = new Option<string[]>("--group", "-g") { Description = "Group(s) for access rules", AllowMultipleArgumentsPerToken = false };
        var cmd = new Command("add", "Add a user") { name, password, stdin, admin, groups };
        cmd.SetAction(async (parse, ct) =>
        {
            var user = parse.GetValue(name)!;
            Passwords.CheckUserName(user);
            var pass = await RegistryAdmin.ReadPasswordAsync(parse.GetValue(password), parse.GetValue(stdin), ct);
            await using var metadata = await dataDir.OpenMetadataAsync(parse, globals, ct);
            var store = metadata.Access;
            var groupList = (parse.GetValue(groups) ?? []).SelectMany(g => g.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            foreach (var g in groupList)
            {
                Passwords.CheckUserName(g);
            }

            await store.SaveUserAsync(user, Passwords.Hash(pass), parse.GetValue(admin), groupList, replace: false, ct);
            Console.WriteLine($"User {user} added");
            return 0;
        });
        return cmd;
    }

    private static Command Passwd(GlobalOptions globals, RegistryDataDir dataDir)
    {
        var name = new Argument<string>("name") { Description = "User name" };
        var password = new Option<string?>("--password", "-p") { Description = "New password (prefer --password-stdin)" };
        var stdin = new Option<bool>("--password-stdin") { Description = "Read the new password from stdin" };
        var cmd = new Command("passwd", "Change a user's password") { name, password, stdin };
        cmd.SetAction(async (parse, ct) =>
        {
            var user = parse.GetValue(name)!;
            await using var metadata = await dataDir.OpenMetadataAsync(parse, globals, ct);
            var store = metadata.Access;
            var existing = await store.GetUserAsync(user, ct) ?? throw StrataException.NotFound("USER_UNKNOWN", $"no such user: {user}");
            var pass = await RegistryAdmin.ReadPasswordAsync(parse.GetValue(password), parse.GetValue(stdin), ct);
            await store.SaveUserAsync(user, Passwords.Hash(pass), existing.Admin, existing.Groups, replace: true, ct);
            Console.WriteLine($"Password of {user} changed");
            return 0;
        });
        return cmd;
    }

    private static Command Remove(GlobalOptions globals, RegistryDataDir dataDir)
    {
        var names = new Argument<string[]>("name") { Description = "User name(s)", Arity = ArgumentArity.OneOrMore };
        var cmd = new Command("rm", "Remove users (and their access rules)") { names };
        cmd.SetAction(async (parse, ct) =>
        {
            await using var metadata = await dataDir.OpenMetadataAsync(parse, globals, ct);
            var store = metadata.Access;
            var failed = false;
            foreach (var n in parse.GetValue(names)!)
            {
                if (await store.RemoveUserAsync(n, ct))
                {
                    Console.WriteLine(n);
                }
                else
                {
                    await Console.Error.WriteLineAsync($"Error: no such user: {n}");
                    failed = true;
                }
            }

            return failed ? 1 : 0;
        });
        return cmd;
    }

    private static Command List(GlobalOptions globals, RegistryDataDir dataDir)
    {
        var cmd = new Command("ls", "List users");
        cmd.Aliases.Add("list");
        cmd.SetAction(async (parse, ct) =>
        {
            await using var metadata = await dataDir.OpenMetadataAsync(parse, globals, ct);
            var store = metadata.Access;
            var table = new Table("NAME", "ADMIN", "GROUPS", "CREATED");
            foreach (var u in await store.ListUsersAsync(ct))
            {
                table.Add(u.Name, u.Admin ? "yes" : "no", string.Join(',', u.Groups), Humanize.Ago(u.Created));
            }

            table.Write(Console.Out);
            return 0;
        });
        return cmd;
    }

    private static Command Import(GlobalOptions globals, RegistryDataDir dataDir)
    {
        var file = new Argument<string>("htpasswd") { Description = "An htpasswd file with bcrypt entries (htpasswd -B)" };
        var cmd = new Command("import", "Import users from an htpasswd file (existing users get the file's password)") { file };
        cmd.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                throw StrataException.NotFound("FILE_NOT_FOUND", $"no such file: {path}");
            }

            var entries = new List<(string User, string Hash)>();
            var lineNo = 0;
            foreach (var raw in await File.ReadAllLinesAsync(path, ct))
            {
                lineNo++;
                var line = raw.Trim();
                if (line.Length == 0 || line.StartsWith('#'))
                {
                    continue;
                }

                var colon = line.IndexOf(':', StringComparison.Ordinal);
                var user = colon < 0 ? line : line[..colon];
                var hash = colon < 0 ? string.Empty : line[(colon + 1)..];
                Passwords.CheckUserName(user);
                if (!Passwords.IsBcrypt(hash))
                {
                    throw StrataException.Invalid("HTPASSWD_FORMAT", $"{path}:{lineNo}: {user} is not a bcrypt entry; recreate it with htpasswd -B");
                }

                entries.Add((user, hash));
            }

            await using var metadata = await dataDir.OpenMetadataAsync(parse, globals, ct);
            var store = metadata.Access;
            foreach (var (user, hash) in entries)
            {
                var existing = await store.GetUserAsync(user, ct);
                await store.SaveUserAsync(user, hash, existing?.Admin ?? false, existing?.Groups ?? [], replace: true, ct);
            }

            Console.WriteLine($"Imported {entries.Count} user(s)");
            return 0;
        });
        return cmd;
    }
}
