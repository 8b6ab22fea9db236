using Strata.Oci;
using Strata.Runtime.Containers;

namespace Strata.Runtime.Tests.Containers;

public sealed class PolicyAndUnitsTests
{
    [Fact]
    public void Restart_policies_follow_docker()
    {
        Assert.False(RestartPolicy.Parse(null).ShouldRestart(1, 0, false));
        var onFailure = RestartPolicy.Parse("on-failure:2");
        Assert.True(onFailure.ShouldRestart(1, 1, false));
        Assert.False(onFailure.ShouldRestart(1, 2, false));
        Assert.False(onFailure.ShouldRestart(0, 0, false));
        Assert.True(RestartPolicy.Parse("always").ShouldRestart(0, 100, false));
        Assert.False(RestartPolicy.Parse("unless-stopped").ShouldRestart(0, 0, stoppedByUser: true));
        Assert.Equal("on-failure:2", onFailure.ToString());
        Assert.Throws<StrataException>(() => RestartPolicy.Parse("sometimes"));
        Assert.Throws<StrataException>(() => RestartPolicy.Parse("on-failure:x"));
    }

    [Theory]
    [InlineData("512", 512L)]
    [InlineData("64m", 64L << 20)]
    [InlineData("1g", 1L << 30)]
    [InlineData("100k", 100L << 10)]
    [InlineData("2MB", 2L << 20)]
    public void Sizes_parse_as_docker(string text, long bytes) => Assert.Equal(bytes, Units.ParseSize(text, "--memory"));

    [Fact]
    public void Cpus_and_bad_sizes()
    {
        Assert.Equal(500_000_000, ResourceParser.ParseCpus("0.5"));
        Assert.Throws<StrataException>(() => ResourceParser.ParseCpus("1000"));
        Assert.Throws<StrataException>(() => Units.ParseSize("lots", "--memory"));
    }

    [Fact]
    public void Ports_default_to_loopback()
    {
        Assert.Equal(new PortMapping("127.0.0.1", 8080, 80, "tcp"), PortMapping.Parse("8080:80"));
        Assert.Equal(new PortMapping("0.0.0.0", 8080, 80, "tcp"), PortMapping.Parse("0.0.0.0:8080:80/tcp"));
        Assert.Equal("127.0.0.1:5000->5000/tcp", PortMapping.Parse("5000").ToString());
        Assert.Throws<StrataException>(() => PortMapping.Parse("8080:80/udp"));
        Assert.Throws<StrataException>(() => PortMapping.Parse("99999:80"));
        Assert.Throws<StrataException>(() => PortMapping.Parse("nohost:1:2"));
    }

    [Theory]
    [InlineData("TERM", "SIGTERM")]
    [InlineData("sigkill", "SIGKILL")]
    [InlineData("9", "9")]
    public void Signals_normalise(string given, string expected) => Assert.Equal(expected, ContainerManager.NormalizeSignal(given));

    [Fact]
    public void Unknown_signal_is_invalid() => Assert.Throws<StrataException>(() => ContainerManager.NormalizeSignal("SIGNOPE"));
}
