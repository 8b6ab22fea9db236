using System.CommandLine;
using Strata.Cli.Commands.Distribution;
using Strata.Cli.Output;
using Strata.Distribution.Pull;
using Strata.Engine;
using Strata.Oci;
using Strata.Runtime.Containers;

namespace Strata.Cli.Commands.Containers;

/// <summary>What the container commands share: opening the engine with the monitor command set, pulling a missing image.</summary>
public static class ContainerCli
{
    public static async Task<StrataEngine> OpenAsync(GlobalOptions globals, ParseResult parse, CancellationToken cancellationToken)
    {
        ConsoleEvents.Instance.Step("cli: open engine");
        var engine = await globals.OpenEngineAsync(parse, cancellationToken).ConfigureAwait(false);
        ConsoleEvents.Instance.Step("cli: engine open");
        var self = Environment.ProcessPath ?? "strata";
        List<string> command = Path.GetFileNameWithoutExtension(self) == "dotnet"
            ? [self, Path.Combine(AppContext.BaseDirectory, "strata.dll")]
            : [self];
        command.AddRange(["--root", Path.GetFullPath(engine.Root), "--storage-driver", engine.Snapshotter.Driver]);
        engine.Containers.MonitorCommand = command;
        engine.Containers.Stdio = new ContainerStdio(Console.OpenStandardInput, Console.OpenStandardOutput, Console.OpenStandardError);
        return engine;
    }

    /// <summary>docker's <c>--pull</c> values.</summary>
    public static PullPolicy ParsePullPolicy(string pull) => pull switch
    {
        "missing" => PullPolicy.Missing,
        "always" => PullPolicy.Always,
        "never" => PullPolicy.Never,
        _ => throw StrataException.Invalid("PULL_POLICY", $"invalid pull option: '{pull}': must be one of \"always\", \"missing\" or \"never\""),
    };

    /// <summary><c>create</c>/<c>run</c>: the engine pulls the image as <c>--pull</c> says (progress on stderr, as docker) and creates the container.</summary>
    public static async Task<ContainerRecord> CreateAsync(StrataEngine engine, RunFlags flags, ParseResult parse, CancellationToken cancellationToken)
    {
        var options = flags.ToOptions(parse);
        var platform = parse.GetValue(flags.Platform) is { Length: > 0 } p ? Platform.Parse(p) : null;
        var c = await engine.CreateContainerAsync(options, ParsePullPolicy(parse.GetValue(flags.Pull) ?? "missing"), platform,
            new TransferPrinter(Console.Error, tty: false, quiet: false), cancellationToken).ConfigureAwait(false);
        foreach (var warning in c.Spec.Security.Warnings())
        {
            await Console.Error.WriteLineAsync("WARNING: " + warning).ConfigureAwait(false);
        }

        return c;
    }

    /// <summary>How an attached run connects: a terminal with <c>-t</c> (docker refuses <c>-it</c> without one), else pipes.</summary>
    public static AttachMode AttachModeFor(bool tty, bool interactive)
    {
        if (!tty)
        {
            return AttachMode.Pipes;
        }

        if (interactive && Console.IsInputRedirected)
        {
            throw StrataException.Invalid("NOT_A_TTY", "the input device is not a TTY");
        }

        return AttachMode.Terminal;
    }
}
