using System.CommandLine;
using Strata.Cli.Commands.Containers;
using Strata.Cli.Commands.Volumes;

namespace Strata.Cli.Commands;

/// <summary>The container commands (top-level docker names and the <c>container</c> group) and <c>volume</c>.</summary>
public static class ContainerCommands
{
    public static void Register(RootCommand root, GlobalOptions globals)
    {
        ArgumentNullException.ThrowIfNull(root);
        foreach (var c in Common(globals))
        {
            root.Subcommands.Add(c);
        }

        root.Subcommands.Add(ListCommand.Create(globals, "ps"));
        root.Subcommands.Add(RemoveCommand.Create(globals, "rm"));
        root.Subcommands.Add(MonitorCommand.Create(globals));

        var container = new Command("container", "Manage containers");
        foreach (var c in Common(globals))
        {
            container.Subcommands.Add(c);
        }

        var ls = ListCommand.Create(globals, "ls");
        ls.Aliases.Add("ps");
        ls.Aliases.Add("list");
        container.Subcommands.Add(ls);
        container.Subcommands.Add(RemoveCommand.Create(globals, "rm"));
        container.Subcommands.Add(InspectCommand.Create(globals));
        container.Subcommands.Add(PruneCommand.Create(globals));
        root.Subcommands.Add(container);

        var volume = new Command("volume", "Manage volumes");
        volume.Subcommands.Add(CreateVolumeCommand.Create(globals));
        volume.Subcommands.Add(ListVolumesCommand.Create(globals));
        volume.Subcommands.Add(InspectVolumeCommand.Create(globals));
        volume.Subcommands.Add(RemoveVolumeCommand.Create(globals));
        volume.Subcommands.Add(PruneVolumesCommand.Create(globals));
        root.Subcommands.Add(volume);
        root.Subcommands.Add(Networks.NetworkCommands.Create(globals));
    }

    private static IEnumerable<Command> Common(GlobalOptions globals) =>
    [
        RunCommand.Create(globals),
        CreateCommand.Create(globals),
        StartCommand.Create(globals),
        StopCommand.Create(globals, restart: false),
        StopCommand.Create(globals, restart: true),
        KillCommand.Create(globals),
        PauseCommand.Create(globals, unpause: false),
        PauseCommand.Create(globals, unpause: true),
        WaitCommand.Create(globals),
        LogsCommand.Create(globals),
        TopCommand.Create(globals),
        DiffCommand.Create(globals),
        CopyCommand.Create(globals),
        ExportCommand.Create(globals),
        RenameCommand.Create(globals),
        ExecCommand.Create(globals),
        CommitCommand.Create(globals),
    ];
}
