using System.Text.Json.Serialization;

namespace Strata.Distribution.Protocol;

/// <summary>The error body of the distribution spec: <c>{"errors":[{"code","message","detail"}]}</c>.</summary>
public sealed record RegistryErrorBody
{
    [JsonPropertyName("errors")]
    public IReadOnlyList<RegistryErrorEntry>? Errors { get; init; }
}
