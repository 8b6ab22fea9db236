using Strata.Fuzz;

namespace Strata.Fuzz.Tests;

/// <summary>
/// Replays every harness over its seed corpus and every crash or hang the fuzzers found (fuzz/corpus/TARGET,
/// fuzz/crashes/TARGET): each saved crash is a regression test that must now end in a StrataException or pass.
/// </summary>
public sealed class FuzzReplayTests
{
    public static TheoryData<string> Targets()
    {
        var data = new TheoryData<string>();
        foreach (var t in FuzzTargets.All)
        {
            data.Add(t.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Corpus_and_saved_crashes_replay_cleanly(string name)
    {
        var target = FuzzTargets.Find(name)!;
        var fuzz = Path.Combine(RepoRoot(), "fuzz");
        var corpus = Path.Combine(fuzz, "corpus", name);
        Assert.True(Directory.EnumerateFiles(corpus).Any(), $"no seed corpus in {corpus}");
        var failures = new List<string>();
        var count = 0;
        foreach (var file in FuzzReplay.Inputs([corpus, Path.Combine(fuzz, "crashes", name)]))
        {
            count++;
            if (await FuzzReplay.ReplayAsync(target, file, FuzzReplay.DefaultTimeout) is { } error)
            {
                failures.Add($"{Path.GetRelativePath(fuzz, file)}: {error}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {count} inputs failed:\n{string.Join('\n', failures)}");
    }

    [Fact]
    public void Every_target_has_a_unique_name_and_a_corpus_folder()
    {
        var names = FuzzTargets.All.Select(t => t.Name).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        var folders = Directory.EnumerateDirectories(Path.Combine(RepoRoot(), "fuzz", "corpus")).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(names.Order(StringComparer.Ordinal), folders);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Strata.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Strata.slnx not found above the test assembly");
    }
}
