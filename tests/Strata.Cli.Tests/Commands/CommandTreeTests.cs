using System.CommandLine;
using Strata.Cli.Commands.Containers;
using Strata.Distribution.Pull;
using Strata.Oci;

namespace Strata.Cli.Tests.Commands;

public sealed class CommandTreeTests
{
    private static readonly RootCommand Root = StrataCli.Build();

    [Theory]
    [InlineData("version")]
    [InlineData("info")]
    [InlineData("import")]
    [InlineData("images")]
    [InlineData("tag")]
    [InlineData("rmi")]
    [InlineData("inspect")]
    [InlineData("history")]
    [InlineData("save")]
    [InlineData("load")]
    [InlineData("pull")]
    [InlineData("push")]
    [InlineData("login")]
    [InlineData("logout")]
    [InlineData("build")]
    public void Docker_command_names_exist(string name) =>
        Assert.Contains(Root.Subcommands, c => c.Name == name);

    [Theory]
    [InlineData("image", "analyze")]
    [InlineData("system", "df")]
    [InlineData("system", "check")]
    public void Subcommands_exist(string group, string name) =>
        Assert.Contains(Root.Subcommands.Single(c => c.Name == group).Subcommands, c => c.Name == name);

    [Fact]
    public void Every_command_has_a_description() =>
        Assert.All(Walk(Root), c => Assert.False(string.IsNullOrWhiteSpace(c.Description), c.Name));

    [Theory]
    [InlineData("rmi")]
    [InlineData("tag", "only-one")]
    [InlineData("nosuchcommand")]
    public void Bad_command_lines_are_parse_errors(params string[] args) =>
        Assert.NotEmpty(Root.Parse(args).Errors);

    [Theory]
    // Global options are recursive: before or after the command.
    [InlineData("--root", "/tmp/strata-x", "images")]
    [InlineData("images", "--root", "/tmp/strata-x")]
    public void Global_options_apply_wherever_they_stand(params string[] args)
    {
        var parse = Root.Parse(args);
        Assert.Empty(parse.Errors);
        Assert.Equal("/tmp/strata-x", parse.GetValue<string?>("--root"));
    }

    [Fact]
    public void Sibling_commands_have_distinct_names_and_aliases()
    {
        foreach (var c in Walk(Root))
        {
            var names = c.Subcommands.SelectMany(s => s.Aliases.Prepend(s.Name)).ToList();
            Assert.True(names.Count == names.Distinct(StringComparer.Ordinal).Count(), $"{c.Name}: duplicate subcommand names in {string.Join(", ", names)}");
        }
    }

    [Theory]
    [InlineData("missing", PullPolicy.Missing)]
    [InlineData("always", PullPolicy.Always)]
    [InlineData("never", PullPolicy.Never)]
    public void Pull_policies_parse(string text, PullPolicy expected) =>
        Assert.Equal(expected, ContainerCli.ParsePullPolicy(text));

    [Theory]
    // docker's values are lower case only, and there is no "newer".
    [InlineData("Always")]
    [InlineData("newer")]
    [InlineData("")]
    public void Unknown_pull_policies_are_invalid_argument(string text)
    {
        var e = Assert.Throws<StrataException>(() => ContainerCli.ParsePullPolicy(text));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }

    [Theory]
    // A parse error: usage, non-zero.
    [InlineData(1, "tag", "only-one")]
    // A name that is not in the (fresh) store: NotFound is exit code 1, as docker's.
    [InlineData(1, "rmi", "no-such-image")]
    // An invalid flag value: InvalidArgument is 125.
    [InlineData(125, "run", "--pull", "bogus", "busybox")]
    public async Task Failures_become_exit_codes(int expected, params string[] args)
    {
        var root = Path.Combine(Path.GetTempPath(), "strata-cli-" + Guid.NewGuid().ToString("N"));
        try
        {
            Assert.Equal(expected, await StrataCli.RunAsync(["--root", root, "--storage-driver", "vfs", .. args]));
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private static IEnumerable<Command> Walk(Command c) => new[] { c }.Concat(c.Subcommands.SelectMany(Walk));
}
