using System.Text.Json.Serialization;

namespace Strata.Oci;

/// <summary>The layer DiffIDs of an image, bottom first (config.md "rootfs").</summary>
public sealed record RootFs
{
    [JsonPropertyName("type")]
    public string Type { get; init; } = "layers";

    [JsonPropertyName("diff_ids")]
    public IReadOnlyList<Digest> DiffIds { get; init; } = [];
}
