using System.Globalization;
using System.Text;
using Strata.Cli.Output;
using Strata.Distribution;
using Strata.Oci;

namespace Strata.Cli.Commands.Distribution;

/// <summary>
/// Prints pull/push progress as docker does (cli/jsonmessage): on a terminal one line per layer, rewritten in
/// place with a progress bar; otherwise one plain line per status change and no byte counts.
/// </summary>
public sealed class TransferPrinter : IProgress<TransferEvent>
{
    private const int BarWidth = 50;
    private readonly TextWriter _out;
    private readonly bool _tty;
    private readonly bool _quiet;
    private readonly Lock _lock = new();
    private readonly List<string> _order = [];
    private readonly Dictionary<string, TransferStatus> _last = new(StringComparer.Ordinal);
    private int _infos;

    public TransferPrinter(TextWriter output, bool tty, bool quiet)
    {
        _out = output;
        _tty = tty;
        _quiet = quiet;
    }

    /// <summary>A printer for stdout: a terminal unless stdout is redirected or TERM is dumb.</summary>
    public static TransferPrinter ForConsole(bool quiet) =>
        new(Console.Out, !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb"), quiet);

    public void Line(string text)
    {
        if (_quiet)
        {
            return;
        }

        lock (_lock)
        {
            _out.WriteLine(text);
            _order.Clear();
            _last.Clear();
            _out.Flush();
        }
    }

    public void Report(TransferEvent value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (_quiet)
        {
            return;
        }

        lock (_lock)
        {
            if (value.Status == TransferStatus.Info)
            {
                var key = "\0info" + _infos++;
                Write(key, value.Detail ?? string.Empty);
                return;
            }

            var progress = value.Status is TransferStatus.Downloading or TransferStatus.Pushing or TransferStatus.Extracting;
            if (!_tty && progress)
            {
                return;
            }

            if (!_tty && _last.TryGetValue(value.Id, out var previous) && previous == value.Status && value.Status != TransferStatus.Retrying)
            {
                return;
            }

            _last[value.Id] = value.Status;
            Write(value.Id, $"{value.Id}: {Text(value)}");
        }
    }

    private void Write(string key, string text)
    {
        if (!_tty)
        {
            _out.WriteLine(text);
            _out.Flush();
            return;
        }

        var index = _order.IndexOf(key);
        if (index < 0)
        {
            _order.Add(key);
            _out.Write("\x1b[2K\r" + text + "\n");
        }
        else
        {
            var up = _order.Count - index;
            var sb = new StringBuilder();
            sb.Append(CultureInfo.InvariantCulture, $"\x1b[{up}A\x1b[2K\r").Append(text).Append(CultureInfo.InvariantCulture, $"\x1b[{up}B\r");
            _out.Write(sb.ToString());
        }

        _out.Flush();
    }

    public static string Text(TransferEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Status switch
        {
            TransferStatus.PullingFsLayer => "Pulling fs layer",
            TransferStatus.Waiting => "Waiting",
            TransferStatus.Downloading => "Downloading " + Bar(e.Current, e.Total),
            TransferStatus.VerifyingChecksum => "Verifying Checksum",
            TransferStatus.DownloadComplete => "Download complete",
            TransferStatus.Extracting => e.Total > 0 && e.Current > 0 ? "Extracting " + Bar(e.Current, e.Total) : "Extracting",
            TransferStatus.PullComplete => "Pull complete",
            TransferStatus.AlreadyExists => "Already exists",
            TransferStatus.Retrying => $"Retrying ({e.Current}/{e.Total}): {e.Detail}",
            TransferStatus.Preparing => "Preparing",
            TransferStatus.Pushing => "Pushing " + Bar(e.Current, e.Total),
            TransferStatus.Pushed => "Pushed",
            TransferStatus.LayerAlreadyExists => "Layer already exists",
            TransferStatus.MountedFrom => "Mounted from " + e.Detail,
            _ => e.Detail ?? e.Status.ToString(),
        };
    }

    /// <summary><c>[=====&gt;      ]  1.2MB/3.4MB</c>, as docker's JSONProgress.String.</summary>
    public static string Bar(long current, long total)
    {
        if (total <= 0)
        {
            return Units.FormatSize(current);
        }

        var filled = (int)Math.Clamp(BarWidth * (double)current / total, 0, BarWidth);
        var bar = new string('=', Math.Max(0, filled - 1)) + (filled > 0 ? (filled == BarWidth ? "=" : ">") : string.Empty);
        return $"[{bar.PadRight(BarWidth)}]  {Units.FormatSize(current)}/{Units.FormatSize(total)}";
    }
}
