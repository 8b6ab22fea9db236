using System.CommandLine;
using Strata.Cli.Commands.Containers;

namespace Strata.Cli.Commands.Volumes;

/// <summary><c>strata volume prune [-a] [-f]</c>: unused anonymous volumes (all unused with -a).</summary>
public static class PruneVolumesCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var all = new Option<bool>("--all", "-a") { Description = "Remove all unused volumes, not just anonymous ones" };
        var force = new Option<bool>("--force", "-f") { Description = "Do not prompt for confirmation" };
        var cmd = new Command("prune", "Remove unused local volumes");
        cmd.Options.Add(all);
        cmd.Options.Add(force);
        cmd.SetAction(async (parse, ct) =>
        {
            var engine = await ContainerCli.OpenAsync(globals, parse, ct);
            var removed = await engine.Volumes.PruneAsync(parse.GetValue(all), ct);
            if (removed.Count > 0)
            {
                Console.WriteLine("Deleted Volumes:");
                foreach (var r in removed)
                {
                    Console.WriteLine(r);
                }

                Console.WriteLine();
            }

            return 0;
        });
        return cmd;
    }
}
