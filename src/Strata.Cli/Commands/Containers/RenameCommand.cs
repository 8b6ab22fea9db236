using System.CommandLine;
using Strata.Oci;

namespace Strata.Cli.Commands.Containers;

/// <summary><c>strata rename CONTAINER NEW_NAME</c>.</summary>
public static class RenameCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var name = new Argument<string>("container");
        var newName = new Argument<string>("new-name");
        var cmd = new Command("rename", "Rename a container");
        cmd.Arguments.Add(name);
        cmd.Arguments.Add(newName);
        cmd.SetAction(async (parse, ct) =>
        {
            var engine = await ContainerCli.OpenAsync(globals, parse, ct);
            var c = await engine.Containers.GetAsync(parse.GetValue(name)!, ct);
            var n = parse.GetValue(newName)!.TrimStart('/');
            if (!System.Text.RegularExpressions.Regex.IsMatch(n, "^[a-zA-Z0-9][a-zA-Z0-9_.-]*$"))
            {
                throw StrataException.Invalid("CONTAINER_NAME_INVALID", $"Invalid container name ({n}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
            }

            await engine.Containers.Store.RenameAsync(c.Id, n, ct);
            return 0;
        });
        return cmd;
    }
}
