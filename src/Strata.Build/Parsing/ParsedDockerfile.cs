namespace Strata.Build.Parsing;

/// <summary>The result of parsing a Dockerfile: its directives, instructions and non-fatal warnings.</summary>
public sealed record ParsedDockerfile(string FileName, char Escape, string? Syntax, IReadOnlyList<DockerfileNode> Nodes, IReadOnlyList<string> Warnings);
