using System.Text.Json;

namespace Strata.Runtime.Bundles;

/// <summary>The small pieces of the OCI runtime spec both bundle writers (containers, build steps) emit.</summary>
public static class SpecJson
{
    public static void Mount(Utf8JsonWriter w, string destination, string type, string source, IEnumerable<string> options)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.WriteStartObject();
        w.WriteString("destination", destination);
        w.WriteString("type", type);
        w.WriteString("source", source);
        Array(w, "options", options);
        w.WriteEndObject();
    }

    public static void Array(Utf8JsonWriter w, string name, IEnumerable<string> items)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(items);
        w.WriteStartArray(name);
        foreach (var i in items)
        {
            w.WriteStringValue(i);
        }

        w.WriteEndArray();
    }
}
