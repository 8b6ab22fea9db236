using System.Text;
using Strata.Build.Context;

namespace Strata.Fuzz.Targets;

/// <summary>
/// The <c>.dockerignore</c> parser and matcher. The input's first line is a path to test, the rest is the
/// file; each pattern line is also tried as a path so the matcher sees paths that look like its patterns.
/// </summary>
public sealed class DockerIgnoreTarget : IFuzzTarget
{
    public string Name => "dockerignore";

    public Task RunAsync(byte[] input, CancellationToken cancellationToken)
    {
        var text = Encoding.UTF8.GetString(input);
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        var path = newline < 0 ? text : text[..newline];
        var ignore = DockerIgnore.Parse(newline < 0 ? string.Empty : text[(newline + 1)..]);
        _ = ignore.IsExcluded(DockerIgnore.CleanPath(path));
        foreach (var line in text.Split('\n').Take(64))
        {
            _ = ignore.IsExcluded(line.TrimStart('!'));
        }

        return Task.CompletedTask;
    }
}
