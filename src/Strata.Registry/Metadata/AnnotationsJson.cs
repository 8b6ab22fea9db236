using System.Text.Json;

namespace Strata.Registry.Metadata;

/// <summary>Reads a stored annotations object back into a dictionary (string values only, as the spec).</summary>
internal static class AnnotationsJson
{
    public static IReadOnlyDictionary<string, string>? Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            if (p.Value.ValueKind == JsonValueKind.String)
            {
                d[p.Name] = p.Value.GetString()!;
            }
        }

        return d.Count == 0 ? null : d;
    }
}
