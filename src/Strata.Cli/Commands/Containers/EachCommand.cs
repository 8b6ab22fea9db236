using Strata.Oci;

namespace Strata.Cli.Commands.Containers;

/// <summary>Docker's multi-target commands: go on after a failure, print each error, exit 1 if any failed.</summary>
public static class EachCommand
{
    public static async Task<int> ForEachAsync(IEnumerable<string> names, Func<string, Task> action)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(action);
        var failed = false;
        foreach (var n in names)
        {
            try
            {
                await action(n).ConfigureAwait(false);
            }
            catch (StrataException e)
            {
                await Console.Error.WriteLineAsync($"Error: {e.Message}").ConfigureAwait(false);
                failed = true;
            }
        }

        return failed ? 1 : 0;
    }
}
