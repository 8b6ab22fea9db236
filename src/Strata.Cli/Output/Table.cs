namespace Strata.Cli.Output;

/// <summary>Docker-style plain columns: a header row, cells padded to the widest value, three spaces apart.</summary>
public sealed class Table
{
    private readonly string[] _headers;
    private readonly List<string[]> _rows = [];

    public Table(params string[] headers) => _headers = headers;

    public void Add(params string[] cells) => _rows.Add(cells);

    public void Write(TextWriter writer)
    {
        var widths = _headers.Select(h => h.Length).ToArray();
        foreach (var r in _rows)
        {
            for (var i = 0; i < widths.Length && i < r.Length; i++)
            {
                widths[i] = Math.Max(widths[i], r[i].Length);
            }
        }

        WriteRow(writer, _headers, widths);
        foreach (var r in _rows)
        {
            WriteRow(writer, r, widths);
        }
    }

    private static void WriteRow(TextWriter writer, string[] cells, int[] widths)
    {
        var parts = new string[cells.Length];
        for (var i = 0; i < cells.Length; i++)
        {
            parts[i] = i == cells.Length - 1 ? cells[i] : cells[i].PadRight(widths[i]);
        }

        writer.WriteLine(string.Join("   ", parts).TrimEnd());
    }
}
