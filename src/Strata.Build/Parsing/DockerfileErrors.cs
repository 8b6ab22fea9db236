using Strata.Oci;

namespace Strata.Build.Parsing;

/// <summary>Builds the one-line <c>FILE:LINE:COL: message</c> errors the parser and builder report.</summary>
public static class DockerfileErrors
{
    public const string ParseCode = "DOCKERFILE_PARSE";

    public static StrataException At(string file, int line, int column, string message) =>
        StrataException.Invalid(ParseCode, $"{file}:{line}:{column}: {message}");

    public static StrataException At(string file, DockerfileNode node, string message) => At(file, node.StartLine, node.Column, message);
}
