using Strata.Build.Parsing;
using Strata.Oci;

namespace Strata.Build.Tests.Parsing;

public class DockerfileParserTests
{
    private static DockerfileNode Single(string text)
    {
        var p = DockerfileParser.Parse(text);
        return Assert.Single(p.Nodes);
    }

    [Fact]
    public void Directives_at_the_top_set_escape_and_syntax()
    {
        var p = DockerfileParser.Parse("# syntax=docker/dockerfile:1\n#escape=`\nFROM scratch\nRUN echo a `\n  b\n");
        Assert.Equal('`', p.Escape);
        Assert.Equal("docker/dockerfile:1", p.Syntax);
        Assert.Equal(2, p.Nodes.Count);
        Assert.Equal("echo a   b", p.Nodes[1].Args[0]);
        Assert.Equal(4, p.Nodes[1].StartLine);
        Assert.Equal(5, p.Nodes[1].EndLine);
    }

    [Theory]
    [InlineData("FROM scratch\n# escape=`\nRUN a `\nRUN b\n", 3)] // after an instruction it is a comment
    [InlineData("\n# escape=`\nRUN a `\nRUN b\n", 2)] // an empty line ends directives
    [InlineData("# unknown=x\n# escape=`\nRUN a `\nRUN b\n", 2)] // an unknown directive ends them too
    [InlineData("# comment\n# escape=`\nRUN a `\nRUN b\n", 2)]
    public void Directives_only_count_at_the_top(string text, int nodes)
    {
        var p = DockerfileParser.Parse(text);
        Assert.Equal('\\', p.Escape);
        Assert.Equal(nodes, p.Nodes.Count);
    }

    [Fact]
    public void Duplicate_directive_is_an_error_with_location()
    {
        var e = Assert.Throws<StrataException>(() => DockerfileParser.Parse("# escape=`\n# escape=\\\nFROM x", "dir/Dockerfile"));
        Assert.Equal("dir/Dockerfile:2:1: only one escape parser directive can be used", e.Message);
    }

    [Fact]
    public void Continuations_skip_comments_and_empty_lines()
    {
        var p = DockerfileParser.Parse("RUN echo a \\\n# inside\n   # indented comment\n\n  b \\  \n c\nRUN x\n");
        Assert.Equal(2, p.Nodes.Count);
        Assert.Equal("echo a   b  c", p.Nodes[0].Args[0]);
        Assert.Single(p.Warnings); // Docker warns about the empty continuation line
        Assert.Equal(7, p.Nodes[1].StartLine);
    }

    [Fact]
    public void Comments_and_blank_lines_are_ignored_and_crlf_handled()
    {
        var p = DockerfileParser.Parse("\uFEFF# hi\r\n\r\n  # indented\r\nFROM busybox AS build\r\n   cmd [\"sh\"]\r\n");
        Assert.Equal(["from", "cmd"], p.Nodes.Select(n => n.Keyword));
        Assert.Equal(["busybox", "AS", "build"], p.Nodes[0].Args);
        Assert.Equal(4, p.Nodes[1].Column);
    }

    [Theory]
    [InlineData("CMD [\"a\", \"b c\"]", true, new[] { "a", "b c" })]
    [InlineData("CMD [ \"a\" ]", true, new[] { "a" })]
    [InlineData("CMD [\"a\", 'b']", false, new[] { "[\"a\", 'b']" })] // invalid JSON: shell form
    [InlineData("CMD [a]", false, new[] { "[a]" })]
    [InlineData("CMD echo [x]", false, new[] { "echo [x]" })]
    [InlineData("RUN [\"echo\",\"\\u0041\"]", true, new[] { "echo", "A" })]
    [InlineData("COPY a b /dst/", false, new[] { "a", "b", "/dst/" })]
    [InlineData("COPY [\"a b\", \"/dst/\"]", true, new[] { "a b", "/dst/" })]
    [InlineData("VOLUME /a /b", false, new[] { "/a", "/b" })]
    [InlineData("VOLUME [\"/a\"]", true, new[] { "/a" })]
    [InlineData("EXPOSE 80 443/udp", false, new[] { "80", "443/udp" })]
    [InlineData("WORKDIR /a b", false, new[] { "/a b" })]
    public void Json_and_shell_forms(string line, bool json, string[] args)
    {
        var n = Single(line);
        Assert.Equal(json, n.Json);
        Assert.Equal(args, n.Args);
    }

    [Fact]
    public void Json_array_of_non_strings_is_an_error()
    {
        var e = Assert.Throws<StrataException>(() => DockerfileParser.Parse("FROM x\nCMD [\"a\", 1]"));
        Assert.StartsWith("Dockerfile:2:1:", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ENV A=1 B=\"x y\"", new[] { "A", "1", "B", "\"x y\"" })]
    [InlineData("ENV A hello world", new[] { "A", "hello world" })] // legacy form
    [InlineData("LABEL \"com.x\"=\"v 1\" b=c\\ d", new[] { "\"com.x\"", "\"v 1\"", "b", "c\\ d" })]
    [InlineData("ARG A B=2 C=\"q r\"", new[] { "A", "B=2", "C=\"q r\"" })]
    public void Name_value_forms(string line, string[] args)
    {
        Assert.Equal(args, Single(line).Args);
    }

    [Theory]
    [InlineData("ENV")] // no arguments
    [InlineData("ENV A")] // legacy form needs a value
    [InlineData("ENV A=1 B")] // mixed forms
    public void Bad_name_value_forms_are_errors(string line)
    {
        var e = Assert.Throws<StrataException>(() => DockerfileParser.Parse("FROM x\n" + line));
        Assert.StartsWith("Dockerfile:2:1: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Flags_come_before_arguments()
    {
        var n = Single("COPY --from=build --chown=1:2 --chmod=755 --link a /b");
        Assert.Equal(["--from=build", "--chown=1:2", "--chmod=755", "--link"], n.Flags.Select(f => f.ToString()));
        Assert.Equal(["a", "/b"], n.Args);

        var r = Single("RUN --network=none echo --not-a-flag");
        Assert.Equal("network", r.Flags[0].Name);
        Assert.Equal("echo --not-a-flag", r.Args[0]);

        var q = Single("FROM --platform=\"linux/amd64\" busybox");
        Assert.Equal("linux/amd64", q.Flags[0].Value);
    }

    [Fact]
    public void Heredocs_are_read_after_the_line()
    {
        var p = DockerfileParser.Parse("FROM x\nRUN <<EOF\necho a\necho $B\nEOF\nRUN <<-'END' cat >f\n\techo tab\n\tEND\nCOPY <<one <<\"two\" /dst/\n1\none\n2\ntwo\nCMD x\n");
        Assert.Equal(5, p.Nodes.Count);
        var h = Assert.Single(p.Nodes[1].Heredocs);
        Assert.Equal(("EOF", "echo a\necho $B\n", true, false), (h.Name, h.Content, h.Expand, h.Chomp));
        var c = Assert.Single(p.Nodes[2].Heredocs);
        Assert.Equal(("END", false, true), (c.Name, c.Expand, c.Chomp));
        Assert.Equal("echo tab\n", c.Body);
        Assert.Equal(["one", "two"], p.Nodes[3].Heredocs.Select(x => x.Name));
        Assert.Equal([true, false], p.Nodes[3].Heredocs.Select(x => x.Expand));
        Assert.Equal(["1\n", "2\n"], p.Nodes[3].Heredocs.Select(x => x.Content));
        Assert.Equal(14, p.Nodes[4].StartLine);
    }

    [Fact]
    public void Heredoc_not_in_json_or_other_instructions()
    {
        var p = DockerfileParser.Parse("RUN [\"sh\", \"<<EOF\"]\nCMD <<EOF\nEOF\n");
        Assert.Equal(3, p.Nodes.Count);
        Assert.All(p.Nodes, n => Assert.Empty(n.Heredocs));
    }

    [Fact]
    public void Unterminated_heredoc_names_the_line()
    {
        var e = Assert.Throws<StrataException>(() => DockerfileParser.Parse("FROM x\n\nRUN <<EOF\necho", "Containerfile"));
        Assert.Equal("Containerfile:3:1: unterminated heredoc EOF", e.Message);
    }

    [Fact]
    public void Healthcheck_and_onbuild_forms()
    {
        Assert.Equal(["NONE"], Single("HEALTHCHECK NONE").Args);
        var h = Single("HEALTHCHECK --interval=5s --retries=3 CMD curl -f http://x/");
        Assert.Equal(["CMD", "curl -f http://x/"], h.Args);
        Assert.False(h.Json);
        var j = Single("HEALTHCHECK CMD [\"true\"]");
        Assert.True(j.Json);
        Assert.Equal(["CMD", "true"], j.Args);
        var o = Single("ONBUILD RUN echo hi");
        Assert.Equal("run", o.Next!.Keyword);
        Assert.Equal("echo hi", o.Next.Args[0]);
        Assert.Throws<StrataException>(() => DockerfileParser.Parse("HEALTHCHECK BOGUS x"));
    }

    [Fact]
    public void Heredoc_with_an_out_of_range_descriptor_is_a_parse_error()
    {
        // Found by fuzz/ (target dockerfile): int.Parse overflowed into an internal OverflowException.
        var e = Assert.Throws<StrataException>(() => DockerfileParser.Parse("FROM x\nRUN 99999999999<<EOF cat\nhi\nEOF\n"));
        Assert.Equal(DockerfileErrors.ParseCode, e.Code);
        Assert.Contains("out of range", e.Message, StringComparison.Ordinal);
    }
}
