using System.CommandLine;

namespace Strata.Cli.Commands.Build;

/// <summary><c>strata builder prune</c>: forget the build cache.</summary>
public static class BuilderCommand
{
    public static Command Create(GlobalOptions globals)
    {
        ArgumentNullException.ThrowIfNull(globals);
        var builder = new Command("builder", "Manage builds");
        var force = new Option<bool>("--force", "-f") { Description = "Do not prompt for confirmation" };
        var prune = new Command("prune", "Remove build cache") { force };
        prune.SetAction(async (parse, ct) =>
        {
            var engine = await globals.OpenEngineAsync(parse, ct).ConfigureAwait(false);
            var n = await engine.PruneBuildCacheAsync(ct).ConfigureAwait(false);
            await Console.Out.WriteLineAsync($"Deleted build cache entries: {n}").ConfigureAwait(false);
            return 0;
        });
        builder.Subcommands.Add(prune);
        return builder;
    }
}
