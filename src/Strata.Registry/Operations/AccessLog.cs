using System.Threading.Channels;

namespace Strata.Registry.Operations;

/// <summary>
/// The access log: one JSON line per request, queued and written by a background task in batches
/// (flushed whenever the queue drains), so logging never blocks a request on stdout. Under extreme
/// load the oldest queued lines are dropped rather than holding memory.
/// </summary>
public sealed class AccessLog : IAsyncDisposable
{
    private readonly Channel<string> _lines = Channel.CreateBounded<string>(new BoundedChannelOptions(50_000)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
    });

    private readonly Task _writer;

    public AccessLog(Stream output)
    {
        _writer = Task.Run(() => WriteLoopAsync(output));
    }

    public void Write(string line) => _lines.Writer.TryWrite(line);

    public async ValueTask DisposeAsync()
    {
        _lines.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private async Task WriteLoopAsync(Stream output)
    {
        await using var writer = new StreamWriter(output, new System.Text.UTF8Encoding(false), 1 << 16) { AutoFlush = false };
        while (await _lines.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (_lines.Reader.TryRead(out var line))
            {
                await writer.WriteLineAsync(line).ConfigureAwait(false);
            }

            await writer.FlushAsync().ConfigureAwait(false);
        }
    }
}
