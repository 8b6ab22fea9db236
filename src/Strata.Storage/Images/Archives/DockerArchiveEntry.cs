using System.Text.Json.Serialization;

namespace Strata.Storage.Images.Archives;

/// <summary>One image in a docker-archive's <c>manifest.json</c> (moby image/tarexport).</summary>
public sealed record DockerArchiveEntry
{
    [JsonPropertyName("Config")]
    public required string Config { get; init; }

    [JsonPropertyName("RepoTags")]
    public IReadOnlyList<string>? RepoTags { get; init; }

    [JsonPropertyName("Layers")]
    public required IReadOnlyList<string> Layers { get; init; }
}
