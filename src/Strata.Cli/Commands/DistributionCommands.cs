using System.CommandLine;
using Strata.Cli.Commands.Distribution;

namespace Strata.Cli.Commands;

/// <summary>The registry client commands: pull, push, login, logout (and <c>image pull</c>/<c>image push</c>).</summary>
public static class DistributionCommands
{
    public static void Register(RootCommand root, GlobalOptions globals)
    {
        ArgumentNullException.ThrowIfNull(root);
        root.Subcommands.Add(PullCommand.Create(globals));
        root.Subcommands.Add(PushCommand.Create(globals));
        root.Subcommands.Add(LoginCommand.Create());
        root.Subcommands.Add(LogoutCommand.Create());
        if (root.Subcommands.FirstOrDefault(c => c.Name == "image") is { } image)
        {
            image.Subcommands.Add(PullCommand.Create(globals));
            image.Subcommands.Add(PushCommand.Create(globals));
        }
    }
}
