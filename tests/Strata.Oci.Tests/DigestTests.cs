using System.Text;
using Strata.Oci;

namespace Strata.Oci.Tests;

public class DigestTests
{
    [Fact]
    public void Computes_sha256_of_known_input()
    {
        var d = Digest.Compute(Encoding.ASCII.GetBytes("abc"));
        Assert.Equal("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", d.ToString());
        Assert.Equal("ba7816bf8f01", d.Short);
    }

    [Fact]
    public void Computes_sha512()
    {
        var d = Digest.Compute(Encoding.ASCII.GetBytes("abc"), DigestAlgorithm.Sha512);
        Assert.StartsWith("sha512:ddaf35a193617aba", d.ToString(), StringComparison.Ordinal);
        Assert.Equal(d, Digest.Parse(d.ToString()));
    }

    [Theory]
    [InlineData("sha256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD")] // uppercase hex
    [InlineData("sha256:ba7816bf")] // too short
    [InlineData("sha256:../../../../etc/passwd00000000000000000000000000000000000000000")] // path traversal
    [InlineData("sha384:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")] // unsupported algorithm
    [InlineData("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")] // no algorithm
    [InlineData("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ag")] // non-hex
    [InlineData("")] // empty
    public void Rejects_malformed(string value)
    {
        Assert.False(Digest.TryParse(value, out _));
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<StrataException>(() => Digest.Parse(value)).Kind);
    }

    [Fact]
    public async Task Digesting_stream_verifies_expected_digest()
    {
        var data = Encoding.ASCII.GetBytes("hello");
        var wrong = Digest.Compute(Encoding.ASCII.GetBytes("world"));
        await using var s = new DigestingStream(new MemoryStream(data), expected: wrong, expectedSize: 5);
        var e = await Assert.ThrowsAsync<StrataException>(() => s.CopyToAsync(Stream.Null));
        Assert.Equal(ErrorKind.DataLoss, e.Kind);
    }

    [Fact]
    public void Chain_ids_follow_the_spec()
    {
        var a = Digest.Compute("a"u8);
        var b = Digest.Compute("b"u8);
        var chain = ChainId.All([a, b]);
        Assert.Equal(a, chain[0]);
        Assert.Equal(Digest.Compute(Encoding.ASCII.GetBytes($"{a} {b}")), chain[1]);
    }
}
