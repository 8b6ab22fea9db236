using Strata.Oci;

namespace Strata.Oci.Tests;

public class ReferenceTests
{
    private const string Hex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("busybox", "docker.io/library/busybox:latest", "busybox:latest")]
    [InlineData("busybox:1.36", "docker.io/library/busybox:1.36", "busybox:1.36")]
    [InlineData("me/box", "docker.io/me/box:latest", "me/box:latest")]
    [InlineData("index.docker.io/library/busybox", "docker.io/library/busybox:latest", "busybox:latest")]
    [InlineData("docker.io/library/busybox:latest", "docker.io/library/busybox:latest", "busybox:latest")]
    [InlineData("host:5000/a/b", "host:5000/a/b:latest", "host:5000/a/b:latest")]
    [InlineData("localhost/x", "localhost/x:latest", "localhost/x:latest")]
    [InlineData("localhost:5000/x:v1", "localhost:5000/x:v1", "localhost:5000/x:v1")]
    [InlineData("ghcr.io/org/team/app:1.0", "ghcr.io/org/team/app:1.0", "ghcr.io/org/team/app:1.0")]
    [InlineData("127.0.0.1:5000/a", "127.0.0.1:5000/a:latest", "127.0.0.1:5000/a:latest")]
    public void Normalises_like_docker(string input, string full, string familiar)
    {
        var r = Reference.Parse(input);
        Assert.Equal(full, r.ToString());
        Assert.Equal(familiar, r.FamiliarString);
    }

    [Fact]
    public void Digest_only_reference_has_no_tag()
    {
        var r = Reference.Parse($"busybox@sha256:{Hex}");
        Assert.Null(r.Tag);
        Assert.Equal($"sha256:{Hex}", r.Digest.ToString());
        Assert.Equal($"docker.io/library/busybox@sha256:{Hex}", r.ToString());
    }

    [Fact]
    public void Tag_and_digest_are_both_kept()
    {
        var r = Reference.Parse($"host:5000/a/b:v2@sha256:{Hex}");
        Assert.Equal("v2", r.Tag);
        Assert.NotNull(r.Digest);
        Assert.Equal("host:5000", r.Domain);
        Assert.Equal("a/b", r.Path);
    }

    [Theory]
    [InlineData("")] // empty
    [InlineData("Busybox")] // uppercase repository
    [InlineData("busybox:")] // empty tag
    [InlineData("busybox:-bad")] // tag must start with word char
    [InlineData("a//b")] // empty path component
    [InlineData("busybox@sha256:abc")] // short digest
    [InlineData("busybox@md5:0123456789abcdef0123456789abcdef")] // unsupported algorithm
    [InlineData("/busybox")] // leading slash
    [InlineData("busybox/")] // trailing slash
    [InlineData("a b")] // whitespace
    public void Rejects_invalid(string input)
    {
        Assert.False(Reference.TryParse(input, out _));
        var e = Assert.Throws<StrataException>(() => Reference.Parse(input));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public void Tag_longer_than_128_is_rejected() =>
        Assert.False(Reference.TryParse("busybox:" + new string('a', 129), out _));
}
