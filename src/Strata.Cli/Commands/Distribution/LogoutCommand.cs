using System.CommandLine;
using Strata.Distribution;
using Strata.Distribution.Credentials;

namespace Strata.Cli.Commands.Distribution;

/// <summary><c>strata logout [SERVER]</c>, as <c>docker logout</c>.</summary>
public static class LogoutCommand
{
    public static Command Create()
    {
        var server = new Argument<string?>("server") { Description = "Registry (default docker.io)", Arity = ArgumentArity.ZeroOrOne };
        var cmd = new Command("logout", "Log out from a registry");
        cmd.Arguments.Add(server);
        cmd.SetAction(async (parse, ct) =>
        {
            var name = RegistryName.Normalize(parse.GetValue(server));
            var store = new CredentialStore();
            var had = await store.GetAsync(name, ct) is not null;
            var removed = await store.EraseAsync(name, ct);
            if (!had && !removed)
            {
                Console.WriteLine($"Not logged in to {name}");
                return 0;
            }

            Console.WriteLine($"Removing login credentials for {name}");
            return 0;
        });
        return cmd;
    }
}
