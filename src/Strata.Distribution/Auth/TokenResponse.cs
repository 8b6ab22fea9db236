using System.Text.Json.Serialization;

namespace Strata.Distribution.Auth;

/// <summary>
/// A token service answer (distribution docs, token.md and oauth.md): <c>token</c> or <c>access_token</c>,
/// lifetime, and a refresh token when one was asked for.
/// </summary>
public sealed record TokenResponse
{
    [JsonPropertyName("token")]
    public string? Token { get; init; }

    [JsonPropertyName("access_token")]
    public string? AccessToken { get; init; }

    [JsonPropertyName("expires_in")]
    public int? ExpiresIn { get; init; }

    [JsonPropertyName("issued_at")]
    public DateTimeOffset? IssuedAt { get; init; }

    [JsonPropertyName("refresh_token")]
    public string? RefreshToken { get; init; }
}
