namespace Strata.Distribution.Credentials;

/// <summary>
/// What a user logged in with: a user name and password, or an identity (refresh) token that an OAuth2
/// token service exchanges for access tokens. <see cref="ToString"/> never shows the secret.
/// </summary>
public sealed record RegistryCredential(string Username, string Password, string? IdentityToken = null)
{
    /// <summary>The user name docker's credential helpers use to store an identity token.</summary>
    public const string TokenUsername = "<token>";

    public bool HasIdentityToken => !string.IsNullOrEmpty(IdentityToken);

    public override string ToString() => $"{Username} (secret hidden)";
}
