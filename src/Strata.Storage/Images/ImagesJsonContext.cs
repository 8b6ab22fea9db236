using System.Text.Json.Serialization;

namespace Strata.Storage.Images;

/// <summary>Source-generated JSON for the image area's own documents (archives, analysis).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(string))]
public sealed partial class ImagesJsonContext : JsonSerializerContext;
