namespace Strata.Distribution.Credentials;

/// <summary>
/// Logins shared with docker: reads and writes <see cref="DockerConfigFile"/>, and goes through the
/// credential helper that file names for a registry (<c>credHelpers</c>, else <c>credsStore</c>).
/// </summary>
public sealed class CredentialStore : ICredentialProvider
{
    private readonly string? _path;

    /// <param name="configPath">The config.json to use; null for docker's default location.</param>
    public CredentialStore(string? configPath = null) => _path = configPath;

    public string ConfigPath => _path ?? DockerConfigFile.DefaultPath();

    public async Task<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken = default)
    {
        var file = await DockerConfigFile.LoadAsync(_path, cancellationToken).ConfigureAwait(false);
        if (file.HelperFor(registry) is { } helper)
        {
            return await new CredentialHelper(helper).GetAsync(DockerConfigFile.KeyFor(registry), cancellationToken).ConfigureAwait(false);
        }

        return file.GetAuth(registry);
    }

    /// <summary>Saves a login: into the credential helper when one is configured (leaving an empty marker in auths), else inline.</summary>
    public async Task StoreAsync(string registry, RegistryCredential credential, CancellationToken cancellationToken = default)
    {
        var file = await DockerConfigFile.LoadAsync(_path, cancellationToken).ConfigureAwait(false);
        if (file.HelperFor(registry) is { } helper)
        {
            await new CredentialHelper(helper).StoreAsync(DockerConfigFile.KeyFor(registry), credential, cancellationToken).ConfigureAwait(false);
            file.SetMarker(registry);
        }
        else
        {
            file.SetAuth(registry, credential);
        }

        await file.SaveAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Forgets a login; returns false when there was none in the file.</summary>
    public async Task<bool> EraseAsync(string registry, CancellationToken cancellationToken = default)
    {
        var file = await DockerConfigFile.LoadAsync(_path, cancellationToken).ConfigureAwait(false);
        if (file.HelperFor(registry) is { } helper)
        {
            await new CredentialHelper(helper).EraseAsync(DockerConfigFile.KeyFor(registry), cancellationToken).ConfigureAwait(false);
        }

        var removed = file.RemoveAuth(registry);
        if (removed)
        {
            await file.SaveAsync(cancellationToken).ConfigureAwait(false);
        }

        return removed;
    }
}
