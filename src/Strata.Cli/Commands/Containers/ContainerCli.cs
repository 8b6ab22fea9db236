using System.CommandLine;
using Strata.Cli.Commands.Distribution;
using Strata.Engine;
using Strata.Oci;
using Strata.Runtime.Containers;

namespace Strata.Cli.Commands.Containers;

/// <summary>What the container commands share: opening the engine with the monitor command set, pulling a missing image.</summary>
public static class ContainerCli
{
    public static async Task<StrataEngine> OpenAsync(GlobalOptions globals, ParseResult parse, CancellationToken cancellationToken)
    {
        Timing.Mark("cli: open engine");
        var engine = await globals.OpenEngineAsync(parse, cancellationToken).ConfigureAwait(false);
        Timing.Mark("cli: engine open");
        var self = Environment.ProcessPath ?? "strata";
        List<string> command = Path.GetFileNameWithoutExtension(self) == "dotnet"
            ? [self, Path.Combine(AppContext.BaseDirectory, "strata.dll")]
            : [self];
        command.AddRange(["--root", Path.GetFullPath(engine.Root), "--storage-driver", engine.Snapshotter.Driver]);
        engine.Containers.MonitorCommand = command;
        return engine;
    }

    /// <summary>Pulls the image when it is not in the store (<c>--pull missing</c>), as docker run does.</summary>
    public static async Task EnsureImageAsync(StrataEngine engine, string image, string pull, string? platform, CancellationToken cancellationToken)
    {
        if (pull is not ("missing" or "always" or "never"))
        {
            throw StrataException.Invalid("PULL_POLICY", $"invalid pull option: '{pull}': must be one of \"always\", \"missing\" or \"never\"");
        }

        var local = await engine.Images.TryResolveAsync(image, cancellationToken).ConfigureAwait(false);
        if (local is not null && pull != "always" || pull == "never")
        {
            if (local is null)
            {
                throw StrataException.NotFound("IMAGE_NOT_FOUND", $"No such image: {image}");
            }

            return;
        }

        var reference = Reference.ParseAny(image);
        if (reference.Tag is null && reference.Digest is null)
        {
            reference = reference.WithTag(Reference.DefaultTag);
        }

        if (local is null)
        {
            await Console.Error.WriteLineAsync($"Unable to find image '{reference.FamiliarString}' locally").ConfigureAwait(false);
        }

        var settings = await Strata.Distribution.Settings.RegistrySettings.LoadAsync(null, cancellationToken).ConfigureAwait(false);
        var printer = new TransferPrinter(Console.Error, tty: false, quiet: false);
        var puller = engine.ImagePuller(StrataEngine.Registries(settings));
        await engine.PullImageAsync(puller, reference, platform is { Length: > 0 } p ? Platform.Parse(p) : null, printer, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<ContainerRecord> CreateAsync(StrataEngine engine, RunFlags flags, ParseResult parse, CancellationToken cancellationToken)
    {
        var options = flags.ToOptions(parse);
        await EnsureImageAsync(engine, options.Image, parse.GetValue(flags.Pull) ?? "missing", parse.GetValue(flags.Platform), cancellationToken).ConfigureAwait(false);
        var c = await engine.Containers.CreateAsync(options, cancellationToken).ConfigureAwait(false);
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
