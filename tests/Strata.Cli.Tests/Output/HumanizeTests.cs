using Strata.Cli.Output;

namespace Strata.Cli.Tests.Output;

public sealed class HumanizeTests
{
    [Theory]
    [InlineData(0.5, "Less than a second")]
    [InlineData(1, "1 second")]
    [InlineData(59, "59 seconds")]
    [InlineData(90, "About a minute")]
    [InlineData(600, "10 minutes")]
    [InlineData(3700, "About an hour")]
    [InlineData(5 * 3600, "5 hours")]
    [InlineData(3 * 86400, "3 days")]
    [InlineData(21 * 86400, "3 weeks")]
    [InlineData(90 * 86400, "3 months")]
    [InlineData(800 * 86400, "2 years")]
    public void Duration_matches_go_units(double seconds, string expected) =>
        Assert.Equal(expected, Humanize.Duration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Ago_appends_ago()
    {
        var now = DateTimeOffset.Parse("2026-11-24T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("2 hours ago", Humanize.Ago(now.AddHours(-2), now));
    }
}
