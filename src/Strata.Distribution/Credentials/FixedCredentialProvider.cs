namespace Strata.Distribution.Credentials;

/// <summary>One credential for every registry (login verifies a credential before it is saved).</summary>
public sealed class FixedCredentialProvider : ICredentialProvider
{
    private readonly RegistryCredential? _credential;

    public FixedCredentialProvider(RegistryCredential? credential) => _credential = credential;

    public Task<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken = default) => Task.FromResult(_credential);
}
