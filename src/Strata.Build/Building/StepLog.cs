using System.Globalization;
using System.Text;

namespace Strata.Build.Building;

/// <summary>
/// One step's part of the build output. As a stream it takes the RUN process's output: classic mode passes it
/// through, plain mode prefixes each line with <c>#N SECONDS</c>.
/// </summary>
internal sealed class StepLog : Stream
{
    private readonly BuildProgress _progress;
    private readonly TimeSpan _started;
    private readonly StringBuilder _partial = new();

    public StepLog(BuildProgress progress, int number)
    {
        _progress = progress;
        Number = number;
        _started = progress.Elapsed;
    }

    public int Number { get; }

    /// <summary>A classic-only line (<c> ---&gt; Running in ...</c>, <c> ---&gt; ID</c>).</summary>
    public Task ClassicAsync(string line, CancellationToken cancellationToken) =>
        _progress.Mode == ProgressMode.Classic ? _progress.WriteAsync(line + "\n", cancellationToken) : Task.CompletedTask;

    /// <summary>A line every mode but quiet shows (plain: under the step's number).</summary>
    public Task InfoAsync(string line, CancellationToken cancellationToken) => _progress.Mode switch
    {
        ProgressMode.Classic => _progress.WriteAsync(line + "\n", cancellationToken),
        ProgressMode.Plain => _progress.WriteAsync($"#{Number} {line}\n", cancellationToken),
        _ => Task.CompletedTask,
    };

    public Task CachedAsync(CancellationToken cancellationToken) =>
        _progress.Mode == ProgressMode.Plain ? _progress.WriteAsync($"#{Number} CACHED\n\n", cancellationToken) : Task.CompletedTask;

    public async Task DoneAsync(CancellationToken cancellationToken)
    {
        if (_progress.Mode != ProgressMode.Plain)
        {
            return;
        }

        await FlushPartialAsync(cancellationToken).ConfigureAwait(false);
        await _progress.WriteAsync($"#{Number} DONE {BuildProgress.Seconds(_progress.Elapsed - _started)}\n\n", cancellationToken).ConfigureAwait(false);
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        switch (_progress.Mode)
        {
            case ProgressMode.Classic:
                await _progress.WriteAsync(Encoding.UTF8.GetString(buffer.Span), cancellationToken).ConfigureAwait(false);
                break;
            case ProgressMode.Plain:
                _partial.Append(Encoding.UTF8.GetString(buffer.Span));
                var text = _partial.ToString();
                var last = text.LastIndexOf('\n');
                if (last < 0)
                {
                    return;
                }

                _partial.Clear().Append(text, last + 1, text.Length - last - 1);
                var stamp = (_progress.Elapsed - _started).TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);
                var sb = new StringBuilder();
                foreach (var line in text[..last].Split('\n'))
                {
                    sb.Append('#').Append(Number).Append(' ').Append(stamp).Append(' ').Append(line.TrimEnd('\r')).Append('\n');
                }

                await _progress.WriteAsync(sb.ToString(), cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private async Task FlushPartialAsync(CancellationToken cancellationToken)
    {
        if (_partial.Length > 0)
        {
            // The last line had no newline: end it, and the empty write flushes it with its prefix.
            _partial.Append('\n');
            await WriteAsync(ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
        }
    }
}
