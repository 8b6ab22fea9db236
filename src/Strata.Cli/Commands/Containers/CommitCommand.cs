using System.CommandLine;
using Strata.Cli.Commands.Images;
using Strata.Runtime.Containers;

namespace Strata.Cli.Commands.Containers;

/// <summary><c>strata commit [-m] [-a] [-c]... [--pause] CONTAINER [REPOSITORY[:TAG]]</c>: prints the new image ID.</summary>
public static class CommitCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var container = new Argument<string>("container");
        var name = new Argument<string?>("repository") { Arity = ArgumentArity.ZeroOrOne, Description = "REPOSITORY[:TAG]" };
        var message = new Option<string?>("--message", "-m") { Description = "Commit message" };
        var author = new Option<string?>("--author", "-a") { Description = "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")" };
        var change = new Option<string[]>("--change", "-c") { Description = "Apply Dockerfile instruction to the created image" };
        var pause = new Option<bool>("--pause", "-p") { Description = "Pause container during commit", DefaultValueFactory = _ => true };
        var cmd = new Command("commit", "Create a new image from a container's changes");
        cmd.Arguments.Add(container);
        cmd.Arguments.Add(name);
        foreach (var o in new Option[] { message, author, change, pause })
        {
            cmd.Options.Add(o);
        }

        cmd.SetAction(async (parse, ct) =>
        {
            var engine = await ContainerCli.OpenAsync(globals, parse, ct);
            var image = await engine.Containers.CommitAsync(new CommitRequest
            {
                Container = parse.GetValue(container)!,
                Name = parse.GetValue(name) is { Length: > 0 } n ? ImportCommand.ParseName(n) : null,
                Message = parse.GetValue(message),
                Author = parse.GetValue(author),
                Changes = parse.GetValue(change) ?? [],
                Pause = parse.GetValue(pause),
            }, ct);
            Console.WriteLine(image.Id.ToString());
            return 0;
        });
        return cmd;
    }
}
