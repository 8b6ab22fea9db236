using System.Text.Json.Nodes;
using Strata.Cli.Commands.Images;

namespace Strata.Cli.Output;

/// <summary>
/// docker's inspect output for any object kind: one JSON array of documents, or a Go template per object;
/// names that resolve to nothing get one error line each and make the exit code 1.
/// </summary>
public static class InspectPrinter
{
    public static async Task<int> PrintAsync(IEnumerable<string> names, string? format, Func<string, Task<JsonObject?>> lookup, Func<string, string> notFound)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(lookup);
        ArgumentNullException.ThrowIfNull(notFound);
        var template = format is null ? null : GoTemplate.Parse(format);
        var docs = new JsonArray();
        var exit = 0;
        foreach (var n in names)
        {
            var doc = await lookup(n).ConfigureAwait(false);
            if (doc is null)
            {
                await Console.Error.WriteLineAsync("Error: " + notFound(n)).ConfigureAwait(false);
                exit = 1;
            }
            else if (template is not null)
            {
                Console.WriteLine(template.Render(doc));
            }
            else
            {
                docs.Add((JsonNode)doc);
            }
        }

        if (template is null)
        {
            Console.WriteLine(docs.ToJsonString(CliJson.Indented));
        }

        return exit;
    }
}
