using Strata.Build.Parsing;

namespace Strata.Build.Instructions;

/// <summary>One build stage: its FROM line and the instructions after it.</summary>
public sealed record Stage(int Index, string? Name, DockerfileNode From, IReadOnlyList<DockerfileNode> Instructions)
{
    /// <summary>The raw (unexpanded) base name written after FROM.</summary>
    public string BaseName => From.Args[0];

    public string? PlatformFlag => From.Flags.FirstOrDefault(f => f.Name == "platform")?.Value;
}
