namespace Strata.Build.Parsing;

/// <summary>
/// One instruction as the parser sees it (buildkit's parser.Node): the lower-case keyword, the flags,
/// the arguments (JSON array elements, whitespace-separated words or one raw string, by instruction),
/// here-documents, and where it was written. <see cref="Next"/> holds ONBUILD's inner instruction.
/// </summary>
public sealed record DockerfileNode
{
    public required string Keyword { get; init; }

    /// <summary>The instruction as written after joining continuation lines (comments removed).</summary>
    public required string Original { get; init; }

    public IReadOnlyList<BuilderFlag> Flags { get; init; } = [];

    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>True for the exec (JSON array) form.</summary>
    public bool Json { get; init; }

    public IReadOnlyList<Heredoc> Heredocs { get; init; } = [];

    public DockerfileNode? Next { get; init; }

    public required int StartLine { get; init; }

    public required int EndLine { get; init; }

    /// <summary>1-based column of the keyword on <see cref="StartLine"/>.</summary>
    public int Column { get; init; } = 1;

    public override string ToString() => Original;
}
