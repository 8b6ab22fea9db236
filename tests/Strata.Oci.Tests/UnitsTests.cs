using Strata.Oci;

namespace Strata.Oci.Tests;

/// <summary>The one size and duration grammar the flags use, and docker's size printing.</summary>
public sealed class UnitsTests
{
    [Theory]
    [InlineData(0, "0B")]
    [InlineData(999, "999B")]
    [InlineData(1200, "1.2kB")]
    [InlineData(4_261_376, "4.26MB")]
    [InlineData(123_456_789, "123MB")]
    [InlineData(1_234_567_890, "1.23GB")]
    public void FormatSize_prints_three_significant_digits_in_decimal_units_as_docker(long bytes, string expected) =>
        Assert.Equal(expected, Units.FormatSize(bytes));

    [Theory]
    [InlineData("512", 512)]
    [InlineData("100k", 100 * 1024)]
    [InlineData("512m", 512L * 1024 * 1024)]
    [InlineData("1g", 1L << 30)]
    [InlineData("10GB", 10L << 30)]
    [InlineData("1.5g", 3L << 29)]
    [InlineData("64b", 64)]
    [InlineData(" 2T ", 2L << 40)]
    public void ParseSize_takes_docker_notation(string text, long expected) => Assert.Equal(expected, Units.ParseSize(text, "--memory"));

    [Theory]
    // Unknown unit, negative, not a number, unit only.
    [InlineData("5x")]
    [InlineData("-1m")]
    [InlineData("lots")]
    [InlineData("m")]
    public void ParseSize_refuses_the_rest(string text)
    {
        var e = Assert.Throws<StrataException>(() => Units.ParseSize(text, "--memory"));
        Assert.Equal("SIZE_INVALID", e.Code);
        Assert.Contains("--memory", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("15m", 900)]
    [InlineData("1h30m", 5400)]
    [InlineData("7d", 7 * 86400)]
    [InlineData("1.5h", 5400)]
    [InlineData("250ms", 0.25)]
    // A bare number is seconds, as docker's duration flags take it.
    [InlineData("90", 90)]
    [InlineData("0", 0)]
    public void ParseDuration_takes_go_durations_plus_days_and_bare_seconds(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Units.ParseDuration(text, "--grace"));

    [Theory]
    // Empty, negative, unknown unit, no number.
    [InlineData("")]
    [InlineData("-5s")]
    [InlineData("3w")]
    [InlineData("h")]
    [InlineData("1.2.3s")]
    public void ParseDuration_refuses_the_rest(string text)
    {
        var e = Assert.Throws<StrataException>(() => Units.ParseDuration(text, "--grace"));
        Assert.Equal("DURATION_INVALID", e.Code);
    }

    [Theory]
    // HEALTHCHECK durations stay Go's: no days, a unit is required.
    [InlineData("7d")]
    [InlineData("90")]
    public void Go_grammar_alone_has_no_days_or_bare_numbers(string text) =>
        Assert.Throws<FormatException>(() => GoDuration.Parse(text));
}
