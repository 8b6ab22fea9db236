using System.Text;
using Strata.Oci;

namespace Strata.Oci.Tests;

public class ManifestTests
{
    private const string DockerManifest = """
        {
           "schemaVersion": 2,
           "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
           "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 1469, "digest": "sha256:9c7a54a9a43cca047013b82af109fe963fde787f63f9e016fdc3384500c2823d"},
           "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 2818413, "digest": "sha256:c926b61bad3b94ae7351bafd0c184c159ebf0643b085f7ef1d47ecdc7316833c"}]
        }
        """;

    [Fact]
    public void Keeps_raw_bytes_and_their_digest()
    {
        var raw = Encoding.UTF8.GetBytes(DockerManifest);
        var m = ImageManifest.Parse(raw);
        Assert.Equal(Digest.Compute(raw), m.Digest);
        Assert.Equal(raw, m.Raw.ToArray());
        Assert.Single(m.Layers);
        Assert.Equal(MediaTypes.DockerManifest, ManifestKind.Detect(raw));
    }

    [Fact]
    public void Index_selects_host_platform_and_skips_attestations()
    {
        var index = ImageIndex.Parse(Encoding.UTF8.GetBytes("""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
              {"mediaType":"application/vnd.oci.image.manifest.v1+json","size":1,"digest":"sha256:1111111111111111111111111111111111111111111111111111111111111111","platform":{"architecture":"arm64","os":"linux","variant":"v8"}},
              {"mediaType":"application/vnd.oci.image.manifest.v1+json","size":1,"digest":"sha256:2222222222222222222222222222222222222222222222222222222222222222","platform":{"architecture":"amd64","os":"linux"}},
              {"mediaType":"application/vnd.oci.image.manifest.v1+json","size":1,"digest":"sha256:3333333333333333333333333333333333333333333333333333333333333333","platform":{"architecture":"unknown","os":"unknown"}}
            ]}
            """));
        Assert.StartsWith("sha256:2222", index.SelectManifest(Platform.Parse("linux/amd64"))!.Digest.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("sha256:1111", index.SelectManifest(Platform.Parse("linux/aarch64"))!.Digest.ToString(), StringComparison.Ordinal);
        Assert.Null(index.SelectManifest(Platform.Parse("linux/s390x")));
    }

    [Fact]
    public void Config_round_trips_unknown_fields()
    {
        var raw = Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux","config":{"Cmd":["sh"],"X-Custom":1},"rootfs":{"type":"layers","diff_ids":[]},"moby.buildkit":{"a":1}}""");
        var c = ImageConfig.Parse(raw);
        Assert.Equal(["sh"], c.Config!.Cmd!);
        var again = Encoding.UTF8.GetString(c.Seal().Raw.Span);
        Assert.Contains("moby.buildkit", again, StringComparison.Ordinal);
        Assert.Contains("X-Custom", again, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"schemaVersion":1}""")] // no rootfs, architecture or os at all (found by fuzz/, target oci)
    [InlineData("""{"rootfs":{"type":"layers"}}""")] // rootfs without diff_ids
    public void Config_missing_members_get_their_defaults(string json)
    {
        var c = ImageConfig.Parse(Encoding.UTF8.GetBytes(json));
        Assert.Empty(c.RootFs.DiffIds);
        Assert.Equal("layers", c.RootFs.Type);
        Assert.Equal("linux", c.Os);
        Assert.Equal(Platform.Host.Architecture, c.Architecture);
    }

    [Theory]
    [InlineData("not json")] // garbage
    [InlineData("""{"schemaVersion":1}""")] // schema 1 is not supported
    [InlineData("""{"schemaVersion":2,"config":{"mediaType":"x","size":1,"digest":"sha256:xyz"},"layers":[]}""")] // bad digest
    public void Rejects_invalid_manifests(string json) =>
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<StrataException>(() => ImageManifest.Parse(Encoding.UTF8.GetBytes(json))).Kind);
}
