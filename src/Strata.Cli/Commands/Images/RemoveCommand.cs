using System.CommandLine;
using Strata.Oci;

namespace Strata.Cli.Commands.Images;

/// <summary><c>strata rmi [-f] IMAGE...</c> / <c>image rm</c>: docker's output (Untagged:, Deleted:) and conflicts.</summary>
public static class RemoveCommand
{
    public static Command Create(GlobalOptions globals, string name)
    {
        var images = new Argument<string[]>("image") { Description = "Images to remove", Arity = ArgumentArity.OneOrMore };
        var force = new Option<bool>("--force", "-f") { Description = "Force removal of the image" };
        var noPrune = new Option<bool>("--no-prune") { Description = "Do not delete untagged parents" };
        var cmd = new Command(name, "Remove one or more images");
        if (name == "rm")
        {
            cmd.Aliases.Add("remove");
        }

        cmd.Arguments.Add(images);
        cmd.Options.Add(force);
        cmd.Options.Add(noPrune);
        cmd.SetAction(async (parse, ct) =>
        {
            var engine = await globals.OpenEngineAsync(parse, ct);
            var exit = 0;
            foreach (var image in parse.GetValue(images)!)
            {
                try
                {
                    var removal = await engine.Images.RemoveAsync(image, parse.GetValue(force), ct);
                    foreach (var u in removal.Untagged)
                    {
                        Console.WriteLine($"Untagged: {u}");
                    }

                    foreach (var d in removal.Deleted)
                    {
                        Console.WriteLine($"Deleted: {d}");
                    }
                }
                catch (StrataException e) when (e.Kind is ErrorKind.NotFound or ErrorKind.Conflict or ErrorKind.InvalidArgument)
                {
                    // docker goes on with the other images and fails at the end.
                    await Console.Error.WriteLineAsync($"Error: {e.Message}");
                    exit = 1;
                }
            }

            return exit;
        });
        return cmd;
    }
}
