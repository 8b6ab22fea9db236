using System.CommandLine;
using Strata.Oci;
using Strata.Runtime.Containers;

namespace Strata.Cli.Commands.Containers;

/// <summary><c>strata exec [-i] [-t] [-e] [-w] [-u] CONTAINER COMMAND [ARG...]</c>: exit code passes through.</summary>
public static class ExecCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var name = new Argument<string>("container");
        var command = new Argument<string[]>("command") { Arity = ArgumentArity.OneOrMore };
        var interactive = new Option<bool>("--interactive", "-i") { Description = "Keep STDIN open even if not attached" };
        var tty = new Option<bool>("--tty", "-t") { Description = "Allocate a pseudo-TTY" };
        var env = new Option<string[]>("--env", "-e") { Description = "Set environment variables" };
        var workdir = new Option<string?>("--workdir", "-w") { Description = "Working directory inside the container" };
        var user = new Option<string?>("--user", "-u") { Description = "Username or UID (format: <name|uid>[:<group|gid>])" };
        var detach = new Option<bool>("--detach", "-d") { Description = "Detached mode: run command in the background" };
        var cmd = new Command("exec", "Execute a command in a running container");
        cmd.Arguments.Add(name);
        cmd.Arguments.Add(command);
        foreach (var o in new Option[] { interactive, tty, env, workdir, user, detach })
        {
            cmd.Options.Add(o);
        }

        cmd.SetAction(async (parse, ct) =>
        {
            var engine = await ContainerCli.OpenAsync(globals, parse, ct);
            var isTty = parse.GetValue(tty);
            var isInteractive = parse.GetValue(interactive);
            if (isTty && isInteractive && Console.IsInputRedirected)
            {
                throw StrataException.Invalid("NOT_A_TTY", "the input device is not a TTY");
            }

            return await engine.ContainerExec.RunAsync(parse.GetValue(name)!, new ExecOptions
            {
                Command = parse.GetValue(command)!,
                Tty = isTty,
                Interactive = isInteractive,
                Env = parse.GetValue(env) ?? [],
                WorkingDir = parse.GetValue(workdir),
                User = parse.GetValue(user),
                Detach = parse.GetValue(detach),
            }, ct);
        });
        return cmd;
    }
}
