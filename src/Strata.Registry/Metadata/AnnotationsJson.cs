using System.Text.Json;
using Strata.Oci;

namespace Strata.Registry.Metadata;

/// <summary>Reads a stored annotations object back into a dictionary (string values only, as the spec).</summary>
internal static class AnnotationsJson
{
    public static IReadOnlyDictionary<string, string>? Parse(string json)
    {
        try
        {
            var d = JsonSerializer.Deserialize(json, OciJsonContext.Default.DictionaryStringString);
            return d is null || d.Count == 0 ? null : d;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
