using System.Text.Json.Serialization;

namespace Strata.Storage.Images.Archives;

/// <summary>Source-generated JSON for archive documents.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<DockerArchiveEntry>))]
[JsonSerializable(typeof(OciLayoutHeader))]
[JsonSerializable(typeof(Dictionary<string, Dictionary<string, string>>))]
public sealed partial class ArchiveJsonContext : JsonSerializerContext;
