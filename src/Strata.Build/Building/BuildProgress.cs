using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Strata.Build.Building;

/// <summary>
/// Writes a build's progress to one stream in the chosen <see cref="ProgressMode"/>. Stages build in parallel,
/// so every write goes through one lock and each step has its own <see cref="StepLog"/>; in plain mode every
/// line names its step (<c>#N</c>), as BuildKit's, so interleaved stages stay readable.
/// </summary>
internal sealed class BuildProgress
{
    private readonly Stream _out;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _next;
    private int _classicStep;

    public BuildProgress(Stream output, ProgressMode mode)
    {
        _out = output;
        Mode = mode;
    }

    public ProgressMode Mode { get; }

    /// <summary>Steps of the whole build (classic <c>Step N/M</c>).</summary>
    public int TotalSteps { get; set; }

    /// <summary>A line outside any step (warnings, notices, the result); plain mode shows it too.</summary>
    public Task LineAsync(string line, CancellationToken cancellationToken) =>
        Mode == ProgressMode.Quiet ? Task.CompletedTask : WriteAsync(line + "\n", cancellationToken);

    /// <summary>Starts a step: classic <c>Step N/M : TEXT</c>, plain <c>#N [LABEL] TEXT</c>.</summary>
    public async Task<StepLog> BeginAsync(string label, string text, CancellationToken cancellationToken)
    {
        var log = new StepLog(this, Interlocked.Increment(ref _next));
        switch (Mode)
        {
            case ProgressMode.Classic:
                await WriteAsync($"Step {Interlocked.Increment(ref _classicStep)}/{TotalSteps} : {text}\n", cancellationToken).ConfigureAwait(false);
                break;
            case ProgressMode.Plain:
                await WriteAsync($"#{log.Number} [{label}] {text}\n", cancellationToken).ConfigureAwait(false);
                break;
        }

        return log;
    }

    internal TimeSpan Elapsed => _clock.Elapsed;

    internal async Task WriteAsync(string text, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _out.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            await _out.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    internal static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s";
}
