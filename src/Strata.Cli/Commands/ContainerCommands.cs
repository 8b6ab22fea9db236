using System.CommandLine;

namespace Strata.Cli.Commands;

/// <summary>The container commands. Each area registers its commands here and keeps their logic in its own project.</summary>
public static class ContainerCommands
{
    public static void Register(RootCommand root, GlobalOptions globals)
    {
        _ = root;
        _ = globals;
    }
}
