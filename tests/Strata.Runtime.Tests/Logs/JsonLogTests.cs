using System.Text;
using Strata.Runtime.Logs;

namespace Strata.Runtime.Tests.Logs;

public sealed class JsonLogTests : IDisposable
{
    private readonly string _path = Path.Combine(Directory.CreateTempSubdirectory("strata-log-").FullName, "c.log");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);

    [Fact]
    public async Task Lines_round_trip_with_streams_and_partial_lines_wait_for_their_newline()
    {
        using (var w = new JsonLogWriter(_path))
        {
            w.Write("stdout", Encoding.UTF8.GetBytes("one\ntw"));
            w.Write("stderr", Encoding.UTF8.GetBytes("err \"quoted\"\n"));
            w.Write("stdout", Encoding.UTF8.GetBytes("o\nthree"));
        }

        var entries = new List<LogEntry>();
        await foreach (var e in JsonLogReader.ReadAsync(_path, null, false, _ => Task.FromResult(false)))
        {
            entries.Add(e);
        }

        Assert.Equal(["stdout:one\n", "stderr:err \"quoted\"\n", "stdout:two\n", "stdout:three"], entries.Select(e => e.Stream + ":" + e.Text));
        var tail = new List<LogEntry>();
        await foreach (var e in JsonLogReader.ReadAsync(_path, 1, false, _ => Task.FromResult(false)))
        {
            tail.Add(e);
        }

        Assert.Equal("three", Assert.Single(tail).Text);
    }

    [Fact]
    public async Task Follow_sees_new_lines_until_the_container_stops()
    {
        var running = true;
        using var w = new JsonLogWriter(_path);
        w.Write("stdout", "first\n"u8);
        var seen = new List<string>();
        var reader = Task.Run(async () =>
        {
            await foreach (var e in JsonLogReader.ReadAsync(_path, null, true, _ => Task.FromResult(Volatile.Read(ref running))))
            {
                seen.Add(e.Text);
            }
        });
        await Task.Delay(300);
        w.Write("stdout", "second\n"u8);
        await Task.Delay(300);
        Volatile.Write(ref running, false);
        await reader.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["first\n", "second\n"], seen);
    }
}
