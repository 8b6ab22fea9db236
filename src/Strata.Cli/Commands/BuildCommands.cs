using System.CommandLine;
using Strata.Cli.Commands.Build;

namespace Strata.Cli.Commands;

/// <summary>The build commands. Each area registers its commands here and keeps their logic in its own project.</summary>
public static class BuildCommands
{
    public static void Register(RootCommand root, GlobalOptions globals)
    {
        ArgumentNullException.ThrowIfNull(root);
        root.Subcommands.Add(BuildCommand.Create(globals));
        root.Subcommands.Add(BuilderCommand.Create(globals));
    }
}
