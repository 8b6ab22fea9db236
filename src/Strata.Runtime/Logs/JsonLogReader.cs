using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Strata.Runtime.Logs;

/// <summary>Reads a json-file log: all entries, the last N, and new ones as they are appended (<c>logs -f</c>).</summary>
public static class JsonLogReader
{
    /// <summary>
    /// Entries of the log at <paramref name="path"/>; with <paramref name="follow"/>, keeps waiting for new lines
    /// until <paramref name="stillRunning"/> says the container stopped (and the rest is read).
    /// </summary>
    public static async IAsyncEnumerable<LogEntry> ReadAsync(string path, int? tail, bool follow, Func<CancellationToken, Task<bool>> stillRunning,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stillRunning);
        if (!File.Exists(path))
        {
            if (!follow)
            {
                yield break;
            }

            await using (File.Create(path))
            {
            }
        }

        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var pending = new StringBuilder();
        var first = new List<LogEntry>();
        await foreach (var e in ReadAvailable(file, pending, cancellationToken).ConfigureAwait(false))
        {
            first.Add(e);
        }

        foreach (var e in tail is { } n && n >= 0 ? first.Skip(Math.Max(0, first.Count - n)) : first)
        {
            yield return e;
        }

        while (follow)
        {
            var running = await stillRunning(cancellationToken).ConfigureAwait(false);
            var any = false;
            await foreach (var e in ReadAvailable(file, pending, cancellationToken).ConfigureAwait(false))
            {
                any = true;
                yield return e;
            }

            if (!running && !any)
            {
                yield break;
            }

            if (!any)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async IAsyncEnumerable<LogEntry> ReadAvailable(FileStream file, StringBuilder pending,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buf = new byte[65536];
        int n;
        while ((n = await file.ReadAsync(buf, cancellationToken).ConfigureAwait(false)) > 0)
        {
            pending.Append(Encoding.UTF8.GetString(buf, 0, n));
            var text = pending.ToString();
            var last = text.LastIndexOf('\n');
            if (last < 0)
            {
                continue;
            }

            pending.Clear().Append(text.AsSpan(last + 1));
            foreach (var line in text[..last].Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                if (Parse(line) is { } e)
                {
                    yield return e;
                }
            }
        }
    }

    private static LogEntry? Parse(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            var time = r.TryGetProperty("time", out var t) && DateTimeOffset.TryParse(t.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed)
                ? parsed
                : DateTimeOffset.MinValue;
            return new LogEntry(r.TryGetProperty("stream", out var s) ? s.GetString() ?? "stdout" : "stdout", r.TryGetProperty("log", out var l) ? l.GetString() ?? string.Empty : string.Empty, time);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
