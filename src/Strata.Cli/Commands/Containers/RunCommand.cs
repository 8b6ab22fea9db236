using System.CommandLine;

namespace Strata.Cli.Commands.Containers;

/// <summary><c>strata run [OPTIONS] IMAGE [COMMAND] [ARG...]</c>: create and start, attached unless <c>-d</c>.</summary>
public static class RunCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var flags = new RunFlags();
        var detach = new Option<bool>("--detach", "-d") { Description = "Run container in background and print container ID" };
        var cmd = new Command("run", "Create and run a new container from an image");
        flags.AddTo(cmd);
        cmd.Options.Add(detach);
        cmd.SetAction(async (parse, ct) =>
        {
            var engine = await ContainerCli.OpenAsync(globals, parse, ct);
            var tty = parse.GetValue(flags.Tty);
            var interactive = parse.GetValue(flags.Interactive);
            var mode = parse.GetValue(detach) ? (Strata.Runtime.Containers.AttachMode?)null : ContainerCli.AttachModeFor(tty, interactive);
            var c = await ContainerCli.CreateAsync(engine, flags, parse, ct);
            if (mode is null)
            {
                await engine.Containers.StartDetachedAsync(c.Id, ct);
                Console.WriteLine(c.Id);
                return 0;
            }

            return await engine.Containers.RunAttachedAsync(c.Id, mode.Value, ct);
        });
        return cmd;
    }
}
