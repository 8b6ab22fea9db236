using System.Text.Json;
using System.Text.Json.Serialization;

namespace Strata.Distribution.Protocol;

/// <summary>One entry of a registry error body.</summary>
public sealed record RegistryErrorEntry
{
    [JsonPropertyName("code")]
    public string? Code { get; init; }

    [JsonPropertyName("message")]
    public string? Message { get; init; }

    [JsonPropertyName("detail")]
    public JsonElement? Detail { get; init; }
}
