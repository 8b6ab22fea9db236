using Strata.Integration.Tests.Support;

namespace Strata.Integration.Tests;

public sealed class CliSmokeTests : IDisposable
{
    private readonly StrataBinary _strata = new();

    public void Dispose() => _strata.Dispose();

    [Fact]
    public async Task Version_prints_and_exits_zero()
    {
        var stdout = await _strata.OkAsync("version");
        Assert.Contains("Version:", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_command_fails_with_one_line_and_no_stack_trace()
    {
        var r = await _strata.RunAsync("no-such-command");
        Assert.NotEqual(0, r.ExitCode);
        Assert.DoesNotContain("   at ", r.Stderr + r.Stdout, StringComparison.Ordinal);
    }
}
