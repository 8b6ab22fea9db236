using Strata.Oci;
using Strata.Runtime.Containers;

namespace Strata.Runtime.Tests.Containers;

public sealed class MountParserTests
{
    [Theory]
    [InlineData("data:/var/lib/data", "volume", "data", "/var/lib/data", false, false)]
    [InlineData("data:/x/:ro", "volume", "data", "/x", true, false)]
    [InlineData("/srv/host:/mnt", "bind", "/srv/host", "/mnt", false, false)]
    [InlineData("/cache", "volume", "", "/cache", false, true)]
    public void Volume_flags_parse_as_docker(string text, string type, string source, string dest, bool ro, bool anonymous)
    {
        var m = MountParser.ParseVolume(text);
        Assert.Equal(type, m.Type);
        Assert.Equal(source, m.Source);
        Assert.Equal(dest, m.Destination);
        Assert.Equal(ro, m.ReadOnly);
        Assert.Equal(anonymous, m.Anonymous);
    }

    [Theory]
    [InlineData("data:relative")]
    [InlineData("bad name:/x")]
    [InlineData("data:/x:rx")]
    [InlineData("a:/b:ro:extra")]
    [InlineData("data:/")]
    public void Bad_volume_flags_are_invalid_arguments(string text)
    {
        var e = Assert.Throws<StrataException>(() => MountParser.ParseVolume(text));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.StartsWith("invalid mount", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mount_flag_understands_types_and_readonly()
    {
        var t = MountParser.ParseMount("type=tmpfs,target=/run/x,tmpfs-size=64m");
        Assert.Equal(("tmpfs", "/run/x", 64L << 20), (t.Type, t.Destination, t.TmpfsSize));
        var v = MountParser.ParseMount("type=volume,src=cache,dst=/cache,readonly");
        Assert.Equal(("volume", "cache", true), (v.Type, v.Source, v.ReadOnly));
        Assert.True(MountParser.ParseMount("target=/anon").Anonymous);
        Assert.Throws<StrataException>(() => MountParser.ParseMount("type=bind,source=/definitely/not/here,target=/x"));
        Assert.Throws<StrataException>(() => MountParser.ParseMount("type=nfs,target=/x"));
        Assert.Throws<StrataException>(() => MountParser.ParseMount("type=volume,source=x"));
    }
}
