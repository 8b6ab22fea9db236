using System.Text;
using Strata.Build.Parsing;

namespace Strata.Fuzz.Targets;

/// <summary>The Dockerfile parser: directives, continuations, heredocs, builder flags, JSON forms.</summary>
public sealed class DockerfileTarget : IFuzzTarget
{
    public string Name => "dockerfile";

    public Task RunAsync(byte[] input, CancellationToken cancellationToken)
    {
        _ = DockerfileParser.Parse(Encoding.UTF8.GetString(input));
        return Task.CompletedTask;
    }
}
