using System.CommandLine;
using Strata.Distribution;
using Strata.Engine;
using Strata.Oci;

namespace Strata.Cli.Commands.Distribution;

/// <summary><c>strata pull [-a] [--platform] [-q] NAME[:TAG|@DIGEST]</c>, as <c>docker pull</c>.</summary>
public static class PullCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var name = new Argument<string>("name") { Description = "NAME[:TAG|@DIGEST]" };
        var all = new Option<bool>("--all-tags", "-a") { Description = "Download all tagged images in the repository" };
        var platform = new Option<string?>("--platform") { Description = "Set platform if server is multi-platform capable (os/arch[/variant]); default the host's" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Suppress verbose output" };
        var registry = new RegistryOptions();
        var cmd = new Command("pull", "Download an image from a registry");
        cmd.Arguments.Add(name);
        cmd.Options.Add(all);
        cmd.Options.Add(platform);
        cmd.Options.Add(quiet);
        registry.AddTo(cmd);
        cmd.SetAction(async (parse, ct) =>
        {
            var reference = Reference.ParseAny(parse.GetValue(name)!);
            var plat = parse.GetValue(platform) is { Length: > 0 } p ? Platform.Parse(p) : null;
            var isQuiet = parse.GetValue(quiet);
            var allTags = parse.GetValue(all);
            if (allTags && (reference.Tag is not null || reference.Digest is not null))
            {
                throw StrataException.Invalid("REFERENCE_INVALID", "tag can't be used with --all-tags/-a");
            }

            var printer = TransferPrinter.ForConsole(isQuiet);
            var settings = await registry.LoadAsync(parse, ct);
            var engine = await globals.OpenEngineAsync(parse, ct);
            var puller = engine.ImagePuller(StrataEngine.Registries(settings));
            if (!allTags && reference.Tag is null && reference.Digest is null)
            {
                printer.Line($"Using default tag: {Reference.DefaultTag}");
                reference = reference.WithTag(Reference.DefaultTag);
            }

            var references = allTags
                ? (await puller.ListTagsAsync(reference, ct)).Select(reference.WithTag).ToList()
                : [reference];
            var anyNew = false;
            foreach (var r in references)
            {
                printer.Line($"{r.Digest?.ToString() ?? r.Tag}: Pulling from {r.Path}");
                var result = await puller.PullAsync(r, plat, printer, ct);
                printer.Line($"Digest: {result.Digest}");
                anyNew |= !result.UpToDate;
                if (!allTags)
                {
                    printer.Line(result.UpToDate
                        ? $"Status: Image is up to date for {r.FamiliarString}"
                        : $"Status: Downloaded newer image for {r.FamiliarString}");
                }
            }

            if (allTags)
            {
                printer.Line(anyNew
                    ? $"Status: Downloaded newer image for {reference.FamiliarName}"
                    : $"Status: Image is up to date for {reference.FamiliarName}");
                Console.WriteLine(reference.Name);
            }
            else
            {
                Console.WriteLine(reference.ToString());
            }

            return 0;
        });
        return cmd;
    }
}
