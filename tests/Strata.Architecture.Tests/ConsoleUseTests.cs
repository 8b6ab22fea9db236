using System.Text.RegularExpressions;

namespace Strata.Architecture.Tests;

/// <summary>
/// The engine is the product and every front end is a renderer: nothing below Strata.Cli writes to (or reads
/// from) the console. Notices and steps go through <c>IEngineEvents</c>, stdio of an attached run through
/// <c>ContainerStdio</c>, the registry's access log through the stream its options name.
/// </summary>
public partial class ConsoleUseTests
{
    public static TheoryData<string> LibraryProjects() =>
        new(Directory.GetDirectories(Path.Combine(DependencyDirectionTests.RepoRoot(), "src")).Select(d => Path.GetFileName(d)!).Where(p => p != "Strata.Cli"));

    [Theory]
    [MemberData(nameof(LibraryProjects))]
    public void Library_code_does_not_use_the_console(string project)
    {
        var dir = Path.Combine(DependencyDirectionTests.RepoRoot(), "src", project);
        var uses = new List<string>();
        foreach (var file in Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains("/obj/", StringComparison.Ordinal) || file.Contains("/bin/", StringComparison.Ordinal))
            {
                continue;
            }

            var n = 0;
            foreach (var line in File.ReadLines(file))
            {
                n++;
                var code = line.TrimStart();
                if (!code.StartsWith("//", StringComparison.Ordinal) && ConsoleUse().IsMatch(code))
                {
                    uses.Add($"{Path.GetRelativePath(dir, file)}:{n}: {code}");
                }
            }
        }

        Assert.True(uses.Count == 0, $"{project} uses the console (report through IEngineEvents or take a stream):\n" + string.Join('\n', uses));
    }

    [Fact]
    public void The_check_sees_console_use()
    {
        Assert.Matches(ConsoleUse(), "await Console.Error.WriteLineAsync(x);");
        Assert.Matches(ConsoleUse(), "using var s = System.Console.OpenStandardInput();");
        Assert.Matches(ConsoleUse(), "using static System.Console;");
        Assert.DoesNotMatch(ConsoleUse(), "ConsoleEvents.Instance.Step(x);");
        Assert.DoesNotMatch(ConsoleUse(), "var consoleOut = options.Output;");
    }

    [GeneratedRegex(@"(?<![\w.])(System\.)?Console\s*\.|using\s+static\s+System\.Console\b")]
    private static partial Regex ConsoleUse();
}
