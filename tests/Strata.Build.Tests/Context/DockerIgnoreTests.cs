using Strata.Build.Context;
using Strata.Oci;

namespace Strata.Build.Tests.Context;

public class DockerIgnoreTests
{
    [Theory]
    [InlineData("*.md", "README.md", true)]
    [InlineData("*.md", "docs/README.md", false)] // * does not cross directories
    [InlineData("**/*.md", "docs/a/README.md", true)]
    [InlineData("**/*.md", "README.md", true)] // ** matches zero directories
    [InlineData("docs", "docs/a/b.txt", true)] // a directory pattern covers its contents
    [InlineData("/docs", "docs/x", true)] // leading slash removed
    [InlineData("./docs/", "docs/x", true)] // ./ and trailing slash cleaned
    [InlineData("a/../b", "b", true)]
    [InlineData("te?t", "test", true)]
    [InlineData("te?t", "te/t", false)]
    [InlineData("[a-c].txt", "b.txt", true)]
    [InlineData("[^a-c].txt", "b.txt", false)]
    [InlineData("# comment", "# comment", false)] // comment lines are not patterns
    [InlineData("node_modules/**", "node_modules/x/y", true)]
    [InlineData("a\\*b", "a*b", true)]
    public void Single_pattern(string pattern, string path, bool excluded)
    {
        Assert.Equal(excluded, DockerIgnore.Parse(pattern).IsExcluded(path));
    }

    [Theory]
    [InlineData("*.md\n!README.md", "README.md", false)] // exception re-includes
    [InlineData("*.md\n!README.md", "CHANGES.md", true)]
    [InlineData("!README.md\n*.md", "README.md", true)] // last match wins
    [InlineData("docs\n!docs/keep.txt", "docs/keep.txt", false)]
    [InlineData("docs\n!docs/keep.txt", "docs/drop.txt", true)]
    [InlineData("**\n!src/**\nsrc/**/*.tmp", "src/a/b.tmp", true)]
    [InlineData("**\n!src/**\nsrc/**/*.tmp", "src/a/b.cs", false)]
    [InlineData("  *.log  \r\n\r\n", "x.log", true)] // whitespace trimmed, CRLF
    public void Ordered_patterns(string text, string path, bool excluded)
    {
        var ignore = DockerIgnore.Parse(text);
        Assert.Equal(excluded, ignore.IsExcluded(path));
    }

    [Fact]
    public void Many_double_stars_match_in_linear_time()
    {
        // Found by fuzz/ (target dockerignore): nested (.*/)? groups backtracked for minutes on a deep path.
        var ignore = DockerIgnore.Parse("src/" + string.Concat(Enumerable.Repeat("**/", 40)) + "x.cs");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(ignore.IsExcluded("src/" + string.Concat(Enumerable.Repeat("d/", 60)) + "y.cs"));
        Assert.True(ignore.IsExcluded("src/a/b/x.cs"));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Theory]
    [InlineData("!")] // a lone exception mark
    [InlineData("src/[")] // unclosed class (found by fuzz/, target dockerignore)
    [InlineData("a[r-c].txt")] // reversed range: was an internal RegexParseException (fuzz/)
    [InlineData("x\\")] // trailing escape
    public void Malformed_file_is_a_clear_error(string text)
    {
        var e = Assert.Throws<StrataException>(() => DockerIgnore.Parse(text));
        Assert.Equal(DockerIgnore.InvalidCode, e.Code);
        Assert.StartsWith(".dockerignore: ", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", ".")]
    [InlineData("a//b/./c/", "a/b/c")]
    [InlineData("../a", "../a")]
    [InlineData("/../a", "/a")]
    [InlineData("a/b/../../..", "..")]
    public void Clean_matches_go(string input, string expected)
    {
        Assert.Equal(expected, DockerIgnore.CleanPath(input));
    }
}
