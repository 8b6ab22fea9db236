using System.Text.Json.Serialization;

namespace Strata.Storage.Images.Archives;

/// <summary>The <c>oci-layout</c> file (image-layout.md).</summary>
public sealed record OciLayoutHeader
{
    [JsonPropertyName("imageLayoutVersion")]
    public string ImageLayoutVersion { get; init; } = "1.0.0";
}
