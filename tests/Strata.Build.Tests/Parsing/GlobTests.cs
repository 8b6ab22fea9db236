namespace Strata.Build.Tests.Parsing;

public class GlobTests
{
    // Cases from Go's path/filepath match_test.go.
    [Theory]
    [InlineData("abc", "abc", true)]
    [InlineData("*", "abc", true)]
    [InlineData("*c", "abc", true)]
    [InlineData("a*", "a", true)]
    [InlineData("a*", "abc", true)]
    [InlineData("a*", "ab/c", false)] // * stops at the separator
    [InlineData("a*/b", "abc/b", true)]
    [InlineData("a*/b", "a/c/b", false)]
    [InlineData("a*b*c*d*e*/f", "axbxcxdxe/f", true)]
    [InlineData("a*b?c*x", "abxbbxdbxebxczzx", true)]
    [InlineData("a*b?c*x", "abxbbxdbxebxczzy", false)]
    [InlineData("ab[c]", "abc", true)]
    [InlineData("ab[b-d]", "abc", true)]
    [InlineData("ab[e-g]", "abc", false)]
    [InlineData("ab[^c]", "abc", false)]
    [InlineData("ab[^b-d]", "abc", false)]
    [InlineData("ab[^e-g]", "abc", true)]
    [InlineData("a\\*b", "a*b", true)]
    [InlineData("a\\*b", "ab", false)]
    [InlineData("a?b", "a☺b", true)]
    [InlineData("a?b", "a/b", false)] // ? never matches the separator
    [InlineData("[\\-]", "-", true)]
    [InlineData("*x", "xxx", true)]
    public void Match_follows_go(string pattern, string name, bool expected)
    {
        Assert.Equal(expected, Glob.Match(pattern, name, '/'));
    }

    [Theory]
    [InlineData("[", "a")] // unclosed class
    [InlineData("[^", "a")]
    [InlineData("a[", "a")]
    [InlineData("[a-", "a")]
    [InlineData("\\", "a")] // trailing escape
    [InlineData("[]a]", "]")] // Go refuses ] first in a class
    public void Match_rejects_bad_patterns(string pattern, string name)
    {
        Assert.Throws<FormatException>(() => Glob.Match(pattern, name, '/'));
    }
}
