using System.CommandLine;
using Strata.Engine;
using Strata.Oci;

namespace Strata.Cli.Commands.Distribution;

/// <summary><c>strata push [-a] [-q] NAME[:TAG]</c>, as <c>docker push</c>.</summary>
public static class PushCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var name = new Argument<string>("name") { Description = "NAME[:TAG]" };
        var all = new Option<bool>("--all-tags", "-a") { Description = "Push all tags of an image to the repository" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Suppress verbose output" };
        var registry = new RegistryOptions();
        var cmd = new Command("push", "Upload an image to a registry");
        cmd.Arguments.Add(name);
        cmd.Options.Add(all);
        cmd.Options.Add(quiet);
        registry.AddTo(cmd);
        cmd.SetAction(async (parse, ct) =>
        {
            var reference = Reference.ParseAny(parse.GetValue(name)!);
            if (reference.Digest is not null)
            {
                throw StrataException.Invalid("REFERENCE_INVALID", "cannot push a digest reference");
            }

            var allTags = parse.GetValue(all);
            if (allTags && reference.Tag is not null)
            {
                throw StrataException.Invalid("REFERENCE_INVALID", "tag can't be used with --all-tags/-a");
            }

            var isQuiet = parse.GetValue(quiet);
            var printer = TransferPrinter.ForConsole(isQuiet);
            var settings = await registry.LoadAsync(parse, ct);
            var engine = await globals.OpenEngineAsync(parse, ct);
            var pusher = engine.ImagePusher(StrataEngine.Registries(settings));
            if (!allTags && reference.Tag is null)
            {
                printer.Line($"Using default tag: {Reference.DefaultTag}");
                reference = reference.WithTag(Reference.DefaultTag);
            }

            var references = allTags ? await pusher.LocalTagsAsync(reference, ct) : [reference];
            if (references.Count == 0)
            {
                throw StrataException.NotFound("IMAGE_NOT_FOUND", $"An image does not exist locally with the tag: {reference.FamiliarName}");
            }

            printer.Line($"The push refers to repository [{reference.Name}]");
            foreach (var r in references)
            {
                var result = await pusher.PushAsync(r, printer, ct);
                printer.Line($"{r.Tag}: digest: {result.Digest} size: {result.Size}");
                if (isQuiet)
                {
                    Console.WriteLine(r.ToString());
                }
            }

            return 0;
        });
        return cmd;
    }
}
