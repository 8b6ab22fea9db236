using System.CommandLine;
using Strata.Runtime.Containers;

namespace Strata.Cli.Commands.Containers;

/// <summary><c>strata container prune [-f]</c>: removes every stopped container.</summary>
public static class PruneCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var force = new Option<bool>("--force", "-f") { Description = "Do not prompt for confirmation" };
        var cmd = new Command("prune", "Remove all stopped containers");
        cmd.Options.Add(force);
        cmd.SetAction(async (parse, ct) =>
        {
            var engine = await ContainerCli.OpenAsync(globals, parse, ct);
            var removed = new List<string>();
            foreach (var c in await engine.Containers.ListAsync(ct))
            {
                if (c.State.Status is ContainerStatus.Exited or ContainerStatus.Created)
                {
                    await engine.Containers.RemoveAsync(c.Id, force: false, removeVolumes: false, ct);
                    removed.Add(c.Id);
                }
            }

            if (removed.Count > 0)
            {
                Console.WriteLine("Deleted Containers:");
                removed.ForEach(Console.WriteLine);
                Console.WriteLine();
            }

            Console.WriteLine("Total reclaimed space: 0B");
            return 0;
        });
        return cmd;
    }
}
