using Strata.Cli.Output;

namespace Strata.Cli.Tests.Output;

public sealed class HumanizeTests
{
    [Theory]
    [InlineData(0, "0B")]
    [InlineData(999, "999B")]
    [InlineData(1200, "1.2kB")]
    [InlineData(4_261_376, "4.26MB")]
    [InlineData(123_456_789, "123MB")]
    [InlineData(1_234_567_890, "1.23GB")]
    public void Size_prints_three_significant_digits_in_decimal_units_as_docker(long bytes, string expected) =>
        Assert.Equal(expected, Humanize.Size(bytes));

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
