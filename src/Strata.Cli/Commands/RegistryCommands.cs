using System.CommandLine;
using Strata.Cli.Commands.Registry;

namespace Strata.Cli.Commands;

/// <summary>The registry commands. Each area registers its commands here and keeps their logic in its own project.</summary>
public static class RegistryCommands
{
    public static void Register(RootCommand root, GlobalOptions globals)
    {
        var dataDir = new RegistryDataDir();
        var registry = new Command("registry", "Run and manage Strata's private registry server");
        dataDir.AddTo(registry);
        registry.Subcommands.Add(ServeCommand.Create(globals, dataDir));
        registry.Subcommands.Add(UserCommands.Create(globals, dataDir));
        registry.Subcommands.Add(AccessCommands.Create(globals, dataDir));
        registry.Subcommands.Add(QuotaCommands.Create(globals, dataDir));
        registry.Subcommands.Add(GcCommand.Create(globals, dataDir));
        registry.Subcommands.Add(MigrateCommand.Create(globals, dataDir));
        root.Subcommands.Add(registry);
    }
}
