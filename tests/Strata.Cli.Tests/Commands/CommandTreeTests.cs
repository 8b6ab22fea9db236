using System.CommandLine;

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

    private static IEnumerable<Command> Walk(Command c) => new[] { c }.Concat(c.Subcommands.SelectMany(Walk));
}
