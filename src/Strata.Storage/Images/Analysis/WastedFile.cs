namespace Strata.Storage.Images.Analysis;

/// <summary>A path whose content was shipped and then deleted or overwritten by a later layer, <see cref="Count"/> times.</summary>
public sealed record WastedFile(string Path, long WastedBytes, int Count)
{
    /// <summary>The <paramref name="top"/> paths that hide the most bytes (ties by path), each path prefixed with <paramref name="prefix"/>.</summary>
    public static IReadOnlyList<WastedFile> Top(IEnumerable<LayerWaste> waste, int top, string prefix = "") =>
        [.. waste.Where(w => w.Bytes > 0)
            .GroupBy(w => w.Path, StringComparer.Ordinal)
            .Select(g => new WastedFile(prefix + g.Key, g.Sum(w => w.Bytes), g.Count()))
            .OrderByDescending(f => f.WastedBytes).ThenBy(f => f.Path, StringComparer.Ordinal)
            .Take(top)];
}
