using Strata.Build.Instructions;

namespace Strata.Build.Tests.Instructions;

public class RunMountTests
{
    [Fact]
    public void Cache_mount_defaults_its_id_to_the_target_and_is_writable()
    {
        var m = RunMount.Parse("type=cache,target=/var/cache/apt,sharing=locked,mode=0700,uid=10,gid=20");
        Assert.Equal(("cache", "/var/cache/apt", "/var/cache/apt", "locked"), (m.Type, m.Target, m.Id, m.Sharing));
        Assert.True(m.ReadWrite);
        Assert.Equal((0b111_000_000u, 10, 20), (m.Mode!.Value, m.Uid!.Value, m.Gid!.Value));
    }

    [Fact]
    public void Bind_is_the_default_type_and_read_only()
    {
        var m = RunMount.Parse("target=/src,from=build,source=/out");
        Assert.Equal(("bind", "/src", "build", "/out"), (m.Type, m.Target, m.From, m.Source));
        Assert.False(m.ReadWrite);
        Assert.True(RunMount.Parse("type=bind,dst=/src,rw").ReadWrite);
        Assert.True(RunMount.Parse("type=bind,destination=/src,readwrite=true").ReadWrite);
    }

    [Fact]
    public void Secret_and_ssh_get_buildkit_default_targets()
    {
        Assert.Equal("/run/secrets/tok", RunMount.Parse("type=secret,id=tok").Target);
        var env = RunMount.Parse("type=secret,id=tok,env=TOKEN");
        Assert.Equal(("TOKEN", string.Empty), (env.Env, env.Target)); // env only: no file
        Assert.Equal("tok", RunMount.Parse("type=secret,target=/x/tok").Id);
        var ssh = RunMount.Parse("type=ssh,required");
        Assert.Equal(("default", "/run/buildkit/ssh_agent.0", true), (ssh.Id, ssh.Target, ssh.Required));
    }

    [Fact]
    public void Tmpfs_size_takes_units_and_csv_quotes_group()
    {
        Assert.Equal(64L << 20, RunMount.Parse("type=tmpfs,target=/t,size=64m").Size);
        Assert.Equal("/a,b", RunMount.Parse("type=cache,\"target=/a,b\"").Target);
    }

    [Theory]
    [InlineData("type=volume,target=/x")] // not a BuildKit mount type
    [InlineData("type=cache")] // no target
    [InlineData("type=bind,target=/x,bogus=1")] // unknown key
    [InlineData("type=cache,target=/x,sharing=sometimes")] // bad sharing
    [InlineData("type=cache,target=/x,mode=999")] // not octal
    [InlineData("type=secret,id=a,from=stage")] // secrets come from the client only
    [InlineData("type=tmpfs,target=/t,size=lots")] // bad size
    [InlineData("type=cache,\"target=/x")] // unterminated quote
    [InlineData("type=bind,target=/x,ro=maybe")] // bad boolean
    public void Bad_mounts_are_refused(string value) => Assert.Throws<FormatException>(() => RunMount.Parse(value));
}
