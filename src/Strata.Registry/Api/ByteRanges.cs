using System.Globalization;

namespace Strata.Registry.Api;

/// <summary>
/// The two byte-range headers the registry reads: <c>Range</c> on blob GET (RFC 9110 section 14.2, one range only)
/// and <c>Content-Range</c> on upload PATCH (the distribution spec's <c>start-end</c>, with or without the
/// <c>bytes </c> unit and a <c>/size</c> suffix). Pure functions over the header text, so they are fuzzed directly.
/// </summary>
public static class ByteRanges
{
    /// <summary>Parses a chunk's <c>Content-Range</c>: <c>[bytes ]start-end[/size]</c>, inclusive, end not before start.</summary>
    public static bool TryParseContentRange(string header, out long start, out long end)
    {
        ArgumentNullException.ThrowIfNull(header);
        start = 0;
        end = 0;
        var spec = header.StartsWith("bytes ", StringComparison.OrdinalIgnoreCase) ? header[6..] : header;
        var slash = spec.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            spec = spec[..slash];
        }

        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        return dash > 0
            && long.TryParse(spec[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out start)
            && long.TryParse(spec[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out end)
            && end >= start;
    }

    /// <summary>Parses a single <c>bytes=a-b</c>, <c>bytes=a-</c> or <c>bytes=-n</c> range within <paramref name="size"/>.</summary>
    public static bool TryParseRange(string header, long size, out long from, out long to)
    {
        from = 0;
        to = size - 1;
        if (!header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase) || header.Contains(',', StringComparison.Ordinal))
        {
            return false;
        }

        var spec = header[6..].Trim();
        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return false;
        }

        var a = spec[..dash];
        var b = spec[(dash + 1)..];
        if (a.Length == 0)
        {
            if (!long.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var suffix) || suffix == 0)
            {
                return false;
            }

            from = Math.Max(0, size - suffix);
            return size > 0;
        }

        if (!long.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out from) || from >= size)
        {
            return false;
        }

        if (b.Length > 0)
        {
            if (!long.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out to) || to < from)
            {
                return false;
            }

            to = Math.Min(to, size - 1);
        }

        return true;
    }
}
