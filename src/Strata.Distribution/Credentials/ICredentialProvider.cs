namespace Strata.Distribution.Credentials;

/// <summary>Looks up the credential for a registry (<c>host[:port]</c>, docker.io for Docker Hub).</summary>
public interface ICredentialProvider
{
    /// <summary>Null when the user is not logged in to <paramref name="registry"/> (anonymous access).</summary>
    Task<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken = default);
}
