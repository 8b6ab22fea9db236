using Strata.Build.Parsing;

namespace Strata.Build.Tests.Parsing;

public class ShellLexTests
{
    private static readonly Dictionary<string, string> Env = new()
    {
        ["A"] = "alpha",
        ["EMPTY"] = "",
        ["SP"] = "x y",
        ["PATHV"] = "/usr/local/bin/tool",
    };

    private static string? Lookup(string n) => Env.TryGetValue(n, out var v) ? v : null;

    [Theory]
    [InlineData("$A", "alpha")]
    [InlineData("${A}", "alpha")]
    [InlineData("pre${A}post", "prealphapost")]
    [InlineData("$A/b", "alpha/b")]
    [InlineData("$UNSET", "")] // unset expands to nothing
    [InlineData("${UNSET:-def}", "def")]
    [InlineData("${EMPTY:-def}", "def")] // :- also replaces empty
    [InlineData("${EMPTY-def}", "")] // - only replaces unset
    [InlineData("${UNSET-def}", "def")]
    [InlineData("${A:+set}", "set")]
    [InlineData("${EMPTY:+set}", "")] // :+ needs non-empty
    [InlineData("${EMPTY+set}", "set")] // + only needs set
    [InlineData("${UNSET+set}", "")]
    [InlineData("${UNSET:-$A}", "alpha")] // nested expansion in the word
    [InlineData("\\$A", "$A")] // escaped dollar
    [InlineData("'$A'", "$A")] // single quotes are literal
    [InlineData("\"$A\"", "alpha")] // double quotes expand
    [InlineData("\"a\\\"b\"", "a\"b")] // escaped quote inside double quotes
    [InlineData("\"a\\nb\"", "a\\nb")] // other escapes kept inside double quotes
    [InlineData("a\\ b", "a b")]
    [InlineData("$", "$")] // lone dollar
    [InlineData("$.", "$.")]
    [InlineData("${PATHV##*/}", "tool")]
    [InlineData("${PATHV#*/}", "usr/local/bin/tool")]
    [InlineData("${PATHV%/*}", "/usr/local/bin")]
    [InlineData("${PATHV%%/*}", "")]
    [InlineData("hello world", "hello world")] // one word keeps whitespace
    public void ProcessWord_expands_like_docker(string input, string expected)
    {
        Assert.Equal(expected, new ShellLex().ProcessWord(input, Lookup));
    }

    [Theory]
    [InlineData("${A")] // missing brace
    [InlineData("${UNSET?must be set}")]
    [InlineData("${EMPTY:?}")]
    [InlineData("'open")]
    [InlineData("${A:x}")] // unsupported modifier
    public void ProcessWord_rejects_bad_input(string input)
    {
        Assert.Throws<FormatException>(() => new ShellLex().ProcessWord(input, Lookup));
    }

    [Fact]
    public void Backtick_escape_is_honoured()
    {
        Assert.Equal("$A", new ShellLex('`').ProcessWord("`$A", Lookup));
        Assert.Equal("c:\\dir", new ShellLex('`').ProcessWord("c:\\dir", Lookup));
    }

    [Fact]
    public void ProcessWords_splits_unquoted_whitespace_and_expanded_values()
    {
        Assert.Equal(["80/tcp", "x", "y", "x y"], new ShellLex().ProcessWords("80/tcp $SP \"$SP\"", Lookup));
        Assert.Equal(["", "a"], new ShellLex().ProcessWords("\"\" a", Lookup));
    }

    [Fact]
    public void ProcessWord_reports_used_names()
    {
        _ = new ShellLex().ProcessWord("$A ${B:-x} '$C'", Lookup, out var used);
        Assert.Equal(["A", "B"], used.Order());
    }
}
