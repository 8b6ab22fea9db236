using Strata.Oci;
using Strata.Storage.Images;

namespace Strata.Storage.Tests.Images;

public sealed class ChangeInstructionsTests
{
    [Fact]
    public void Parses_what_docker_import_accepts()
    {
        var c = ChangeInstructions.Parse(
        [
            "CMD [\"sh\", \"-c\", \"echo hi\"]",
            "ENTRYPOINT /bin/run --flag", // shell form
            "ENV A=b C=\"d e\"",
            "ENV LEGACY some value", // old space form
            "EXPOSE 80 53/udp",
            "LABEL k=v \"x y\"=z",
            "USER 1000:1000",
            "WORKDIR /srv",
            "VOLUME [\"/data\"]",
            "STOPSIGNAL SIGINT",
            "cmd [\"later\"]", // keyword is case-insensitive; later wins
        ]);
        Assert.Equal(["later"], c.Cmd);
        Assert.Equal(["/bin/sh", "-c", "/bin/run --flag"], c.Entrypoint);
        Assert.Equal(["A=b", "C=d e", "LEGACY=some value"], c.Env);
        Assert.Equal(["80/tcp", "53/udp"], c.ExposedPorts);
        Assert.Equal("v", c.Labels!["k"]);
        Assert.Equal("z", c.Labels["x y"]);
        Assert.Equal("1000:1000", c.User);
        Assert.Equal("/srv", c.WorkingDir);
        Assert.Equal(["/data"], c.Volumes);
        Assert.Equal("SIGINT", c.StopSignal);
    }

    [Theory]
    [InlineData("RUN make")] // RUN is not a config change
    [InlineData("CMD")] // no argument
    [InlineData("ENV A=b =c")] // empty key
    [InlineData("FROM busybox")] // not allowed in a change
    public void Refuses_bad_changes(string change)
    {
        var e = Assert.Throws<StrataException>(() => ChangeInstructions.Parse([change]));
        Assert.Equal("CHANGE_INVALID", e.Code);
    }
}
