using System.CommandLine;

namespace Strata.Cli.Commands.Images;

/// <summary><c>strata tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]</c>.</summary>
public static class TagCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var source = new Argument<string>("source") { Description = "SOURCE_IMAGE[:TAG] or image ID" };
        var target = new Argument<string>("target") { Description = "TARGET_IMAGE[:TAG]" };
        var cmd = new Command("tag", "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE");
        cmd.Arguments.Add(source);
        cmd.Arguments.Add(target);
        cmd.SetAction(async (parse, ct) =>
        {
            var t = ImportCommand.ParseName(parse.GetValue(target)!);
            var engine = await globals.OpenEngineAsync(parse, ct);
            await engine.Images.TagAsync(parse.GetValue(source)!, t, ct);
            return 0;
        });
        return cmd;
    }
}
