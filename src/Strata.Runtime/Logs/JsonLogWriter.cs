using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Strata.Runtime.Logs;

/// <summary>
/// Appends a container's output to its log as docker's json-file driver does: one JSON object per line of
/// output, with the stream and a timestamp. Partial lines wait for their newline (or the end).
/// Thread-safe: stdout and stderr pumps share one writer.
/// </summary>
public sealed class JsonLogWriter : IDisposable
{
    private readonly FileStream _file;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, StringBuilder> _partial = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Decoder> _decoders = new(StringComparer.Ordinal);

    public JsonLogWriter(string path)
    {
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 4096);
    }

    public void Write(string stream, ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            if (!_decoders.TryGetValue(stream, out var decoder))
            {
                decoder = Encoding.UTF8.GetDecoder();
                _decoders[stream] = decoder;
                _partial[stream] = new StringBuilder();
            }

            var chars = new char[Encoding.UTF8.GetMaxCharCount(data.Length)];
            var n = decoder.GetChars(data, chars, flush: false);
            var sb = _partial[stream];
            for (var i = 0; i < n; i++)
            {
                sb.Append(chars[i]);
                if (chars[i] == '\n' || sb.Length >= 16 * 1024)
                {
                    Emit(stream, sb.ToString());
                    sb.Clear();
                }
            }

            _file.Flush();
        }
    }

    /// <summary>Writes what is left of unfinished lines.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            foreach (var (stream, sb) in _partial)
            {
                if (sb.Length > 0)
                {
                    Emit(stream, sb.ToString());
                    sb.Clear();
                }
            }

            _file.Flush();
        }
    }

    public void Dispose()
    {
        Flush();
        _file.Dispose();
    }

    private void Emit(string stream, string text)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteString("log", text);
            w.WriteString("stream", stream);
            w.WriteString("time", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
            w.WriteEndObject();
        }

        ms.WriteByte((byte)'\n');
        _file.Write(ms.GetBuffer(), 0, (int)ms.Length);
    }
}
