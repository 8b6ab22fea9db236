using Strata.Cli.Commands.Build;
using Strata.Oci;

namespace Strata.Cli.Tests.Commands.Build;

public sealed class BuildFlagsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("strata-flags-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Secret_from_a_file_or_a_variable()
    {
        var file = Path.Combine(_dir, "tok");
        File.WriteAllText(file, "x");
        var s = BuildFlags.ParseSecrets(["id=tok,src=" + file, "id=env1,env=HOME", "type=env,id=e2,source=PATH"]);
        Assert.Equal(file, s["tok"].File);
        Assert.Equal("HOME", s["env1"].EnvironmentVariable);
        Assert.Equal("PATH", s["e2"].EnvironmentVariable);
        Assert.Null(s["e2"].File);
    }

    [Theory]
    [InlineData("src=/nonexistent/file")] // a missing file
    [InlineData("id=a,color=blue")] // unknown key
    [InlineData(",")] // no id at all
    public void Bad_secrets_are_refused(string value) =>
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<StrataException>(() => BuildFlags.ParseSecrets([value])).Kind);

    [Fact]
    public void Ssh_needs_an_existing_socket_and_allow_knows_two_entitlements()
    {
        Assert.Equal(_dir, BuildFlags.ParseSsh(["default=" + _dir])["default"]);
        Assert.Throws<StrataException>(() => BuildFlags.ParseSsh(["default=/nonexistent.sock"]));
        Assert.Equal(["security.insecure", "network.host"], BuildFlags.ParseAllow(["security.insecure,network.host"]));
        Assert.Throws<StrataException>(() => BuildFlags.ParseAllow(["device"]));
    }
}
