using System.CommandLine;

namespace Strata.Cli.Commands.Containers;

/// <summary><c>strata container-monitor ID</c> (hidden): the per-container process that watches a detached container.</summary>
public static class MonitorCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var id = new Argument<string>("id");
        var cmd = new Command("container-monitor", "Watch a detached container (internal)") { Hidden = true };
        cmd.Arguments.Add(id);
        cmd.SetAction(async (parse, ct) =>
        {
            var engine = await ContainerCli.OpenAsync(globals, parse, ct);
            return await engine.Containers.MonitorAsync(parse.GetValue(id)!, CancellationToken.None);
        });
        return cmd;
    }
}
