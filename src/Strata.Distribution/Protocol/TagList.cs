using System.Text.Json.Serialization;

namespace Strata.Distribution.Protocol;

/// <summary>The answer of <c>GET /v2/NAME/tags/list</c>.</summary>
public sealed record TagList
{
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("tags")]
    public IReadOnlyList<string>? Tags { get; init; }
}
