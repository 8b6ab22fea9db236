namespace Strata.Build.Parsing;

/// <summary>
/// One here-document (<c>&lt;&lt;EOF</c>) of a RUN/COPY/ADD line. <see cref="Content"/> is the raw body with a
/// newline after every line; <see cref="Expand"/> is false when the delimiter was quoted; <see cref="Chomp"/>
/// (<c>&lt;&lt;-EOF</c>) strips leading tabs from the body and the terminator.
/// </summary>
public sealed record Heredoc(string Name, string Content, bool Expand, bool Chomp, int FileDescriptor)
{
    /// <summary>The body as the instruction uses it (leading tabs stripped for <c>&lt;&lt;-</c>).</summary>
    public string Body => Chomp ? ChompContent(Content) : Content;

    public static string ChompContent(string content)
    {
        var lines = content.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            lines[i] = lines[i].TrimStart('\t');
        }

        return string.Join('\n', lines);
    }
}
