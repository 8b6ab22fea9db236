using System.CommandLine;
using System.Text;
using Strata.Distribution;
using Strata.Distribution.Credentials;
using Strata.Engine;
using Strata.Oci;

namespace Strata.Cli.Commands.Distribution;

/// <summary>
/// <c>strata login [-u USER] [-p PASS | --password-stdin] [SERVER]</c>, as <c>docker login</c>: verifies the
/// credential against the registry, then stores it in docker's config.json (or its credential helper).
/// </summary>
public static class LoginCommand
{
    public static Command Create()
    {
        var server = new Argument<string?>("server") { Description = "Registry (default docker.io)", Arity = ArgumentArity.ZeroOrOne };
        var user = new Option<string?>("--username", "-u") { Description = "Username" };
        var password = new Option<string?>("--password", "-p") { Description = "Password or Personal Access Token (PAT)" };
        var stdin = new Option<bool>("--password-stdin") { Description = "Take the Password or Personal Access Token (PAT) from stdin" };
        var registry = new RegistryOptions();
        var cmd = new Command("login", "Authenticate to a registry");
        cmd.Arguments.Add(server);
        cmd.Options.Add(user);
        cmd.Options.Add(password);
        cmd.Options.Add(stdin);
        registry.AddTo(cmd);
        cmd.SetAction(async (parse, ct) =>
        {
            var name = RegistryName.Normalize(parse.GetValue(server));
            var username = parse.GetValue(user);
            var pass = parse.GetValue(password);
            var fromStdin = parse.GetValue(stdin);
            if (fromStdin && pass is not null)
            {
                throw StrataException.Invalid("LOGIN_FLAGS", "--password and --password-stdin are mutually exclusive");
            }

            if (fromStdin && string.IsNullOrEmpty(username))
            {
                throw StrataException.Invalid("LOGIN_FLAGS", "Must provide --username with --password-stdin");
            }

            if (pass is not null)
            {
                await Console.Error.WriteLineAsync("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
            }

            if (fromStdin)
            {
                pass = (await Console.In.ReadToEndAsync(ct)).TrimEnd('\n', '\r');
            }

            var settings = await registry.LoadAsync(parse, ct);
            var store = new CredentialStore();
            var registries = StrataEngine.Registries(settings, store);
            var endpoint = registries.PushEndpoint(name);

            if (username is null && pass is null && await store.GetAsync(name, ct) is { } saved)
            {
                Console.WriteLine("Authenticating with existing credentials...");
                try
                {
                    using var c = await registries.ConnectAsync(endpoint, new FixedCredentialProvider(saved), verifyCredentials: true, ct);
                    Console.WriteLine("Login Succeeded");
                    return 0;
                }
                catch (StrataException e) when (e.Kind == ErrorKind.Unauthenticated)
                {
                    await Console.Error.WriteLineAsync($"Login did not succeed, error: {e.Message}");
                }
            }

            if (string.IsNullOrEmpty(username))
            {
                username = Prompt("Username: ", echo: true);
            }

            if (string.IsNullOrEmpty(pass))
            {
                pass = Prompt("Password: ", echo: false);
            }

            if (string.IsNullOrEmpty(username) || string.IsNullOrEmpty(pass))
            {
                throw StrataException.Invalid("LOGIN_FLAGS", "Username and password required");
            }

            var credential = new RegistryCredential(username, pass);
            using (var client = await registries.ConnectAsync(endpoint, new FixedCredentialProvider(credential), verifyCredentials: true, ct))
            {
            }

            await store.StoreAsync(name, credential, ct);
            Console.WriteLine("Login Succeeded");
            return 0;
        });
        return cmd;
    }

    private static string Prompt(string label, bool echo)
    {
        if (Console.IsInputRedirected)
        {
            throw StrataException.Precondition("LOGIN_NO_TTY", "Cannot perform an interactive login from a non TTY device");
        }

        Console.Write(label);
        if (echo)
        {
            return Console.ReadLine()?.Trim() ?? string.Empty;
        }

        var sb = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (sb.Length > 0)
                {
                    sb.Length--;
                }

                continue;
            }

            sb.Append(key.KeyChar);
        }

        Console.WriteLine();
        return sb.ToString();
    }
}
