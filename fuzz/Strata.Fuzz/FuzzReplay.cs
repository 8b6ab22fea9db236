namespace Strata.Fuzz;

/// <summary>Replays saved inputs (seed corpus, crashes found earlier) through a harness without afl-fuzz.</summary>
public static class FuzzReplay
{
    /// <summary>Longer than any input should take; afl-fuzz runs with a far shorter limit (fuzz/fuzz.sh).</summary>
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(20);

    /// <summary>The files under each path (recursively), skipping afl's README.txt, in a stable order.</summary>
    public static IEnumerable<string> Inputs(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                yield return path;
            }
            else if (Directory.Exists(path))
            {
                foreach (var f in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                             .Where(f => Path.GetFileName(f) != "README.txt")
                             .Order(StringComparer.Ordinal))
                {
                    yield return f;
                }
            }
        }
    }

    /// <summary>Runs one saved input; returns null when it passed, else what went wrong (exception or hang).</summary>
    public static async Task<string?> ReplayAsync(IFuzzTarget target, string file, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(target);
        var input = await File.ReadAllBytesAsync(file).ConfigureAwait(false);
        using var cts = new CancellationTokenSource();
        var run = Task.Run(() => FuzzTargets.RunOneAsync(target, input, cts.Token), cts.Token);
        try
        {
            await run.WaitAsync(timeout).ConfigureAwait(false);
            return null;
        }
        catch (TimeoutException)
        {
            await cts.CancelAsync().ConfigureAwait(false);
            return $"hang: no answer within {timeout.TotalSeconds:0} s";
        }
        catch (Exception e)
        {
            return e.ToString();
        }
    }
}
