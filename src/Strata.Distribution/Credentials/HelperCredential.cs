using System.Text.Json.Serialization;

namespace Strata.Distribution.Credentials;

/// <summary>The JSON a <c>docker-credential-*</c> helper reads on <c>store</c> and prints on <c>get</c>.</summary>
public sealed record HelperCredential
{
    [JsonPropertyName("ServerURL")]
    public string? ServerUrl { get; init; }

    [JsonPropertyName("Username")]
    public string? Username { get; init; }

    [JsonPropertyName("Secret")]
    public string? Secret { get; init; }
}
