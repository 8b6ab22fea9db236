using System.CommandLine;
using Strata.Cli.Commands.Images;

namespace Strata.Cli.Commands;

/// <summary>The image commands: top-level docker names and the <c>image</c> group.</summary>
public static class ImageCommands
{
    public static void Register(RootCommand root, GlobalOptions globals)
    {
        ArgumentNullException.ThrowIfNull(root);
        root.Subcommands.Add(ImportCommand.Create(globals));
        root.Subcommands.Add(ListCommand.Create(globals, "images"));
        root.Subcommands.Add(TagCommand.Create(globals));
        root.Subcommands.Add(RemoveCommand.Create(globals, "rmi"));
        root.Subcommands.Add(InspectCommand.Create(globals, "Return low-level information on images"));
        root.Subcommands.Add(HistoryCommand.Create(globals));

        var image = new Command("image", "Manage images");
        image.Subcommands.Add(ImportCommand.Create(globals));
        image.Subcommands.Add(ListCommand.Create(globals, "ls"));
        image.Subcommands.Add(TagCommand.Create(globals));
        image.Subcommands.Add(RemoveCommand.Create(globals, "rm"));
        image.Subcommands.Add(InspectCommand.Create(globals, "Display detailed information on one or more images"));
        image.Subcommands.Add(HistoryCommand.Create(globals));
        root.Subcommands.Add(image);
    }
}
