using System.Text.Json;
using System.Text.Json.Serialization;

namespace Strata.Oci;

/// <summary>Reads and writes <see cref="Digest"/> as its string form, rejecting malformed digests.</summary>
public sealed class DigestJsonConverter : JsonConverter<Digest>
{
    public override Digest Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var s = reader.GetString();
        if (!Digest.TryParse(s, out var d, out var why))
        {
            throw new JsonException($"invalid digest \"{s}\": {why}");
        }

        return d;
    }

    public override void Write(Utf8JsonWriter writer, Digest value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
