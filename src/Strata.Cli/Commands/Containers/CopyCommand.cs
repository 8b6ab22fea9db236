using System.CommandLine;
using Strata.Oci;

namespace Strata.Cli.Commands.Containers;

/// <summary><c>strata cp CONTAINER:SRC DEST</c> and <c>strata cp SRC CONTAINER:DEST</c>.</summary>
public static class CopyCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var source = new Argument<string>("source") { Description = "CONTAINER:SRC_PATH or SRC_PATH" };
        var dest = new Argument<string>("destination") { Description = "DEST_PATH or CONTAINER:DEST_PATH" };
        var cmd = new Command("cp", "Copy files/folders between a container and the local filesystem");
        cmd.Arguments.Add(source);
        cmd.Arguments.Add(dest);
        cmd.SetAction(async (parse, ct) =>
        {
            var engine = await ContainerCli.OpenAsync(globals, parse, ct);
            var (srcContainer, srcPath) = Split(parse.GetValue(source)!);
            var (dstContainer, dstPath) = Split(parse.GetValue(dest)!);
            switch (srcContainer, dstContainer)
            {
                case (not null, null):
                    await engine.ContainerFiles.CopyFromAsync(srcContainer, srcPath, Path.GetFullPath(dstPath), ct);
                    break;
                case (null, not null):
                    await engine.ContainerFiles.CopyToAsync(dstContainer, Path.GetFullPath(srcPath), dstPath, ct);
                    break;
                case (not null, not null):
                    throw StrataException.Invalid("CP_BOTH", "copying between containers is not supported");
                default:
                    throw StrataException.Invalid("CP_NONE", "must specify at least one container source");
            }

            return 0;
        });
        return cmd;
    }

    private static (string? Container, string Path) Split(string arg)
    {
        if (arg.StartsWith('/') || arg.StartsWith('.'))
        {
            return (null, arg);
        }

        var colon = arg.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? (arg[..colon], arg[(colon + 1)..]) : (null, arg);
    }
}
