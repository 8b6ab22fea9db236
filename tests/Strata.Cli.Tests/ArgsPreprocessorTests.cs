using Strata.Cli;

namespace Strata.Cli.Tests;

public sealed class ArgsPreprocessorTests
{
    [Theory]
    [InlineData("run busybox sh -c x", "run busybox -- sh -c x")]
    [InlineData("--root /r run -it --rm -e A=1 -v v:/d busybox sh -c x", "--root /r run -it --rm -e A=1 -v v:/d busybox -- sh -c x")]
    [InlineData("container run -p 1:2 img ls -l", "container run -p 1:2 img -- ls -l")]
    [InlineData("exec -u root c1 ls -la", "exec -u root c1 -- ls -la")]
    [InlineData("run busybox", "run busybox")]
    [InlineData("run busybox -- sh", "run busybox -- sh")]
    [InlineData("images -a", "images -a")]
    [InlineData("registry serve --addr x", "registry serve --addr x")]
    public void Flags_after_the_image_belong_to_the_command(string given, string expected) =>
        Assert.Equal(expected.Split(' '), ArgsPreprocessor.Process(given.Split(' ')));
}
