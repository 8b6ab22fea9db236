using Strata.Distribution;
using Strata.Distribution.Credentials;
using Strata.Distribution.Pull;
using Strata.Distribution.Push;
using Strata.Distribution.Settings;

namespace Strata.Engine;

/// <summary>The distribution area: pull and push against registries, with docker-compatible logins and settings.</summary>
public sealed partial class StrataEngine
{
    /// <summary>Which repositories hold which blobs (cross-repository mounts on push).</summary>
    public BlobSources BlobSources => new(Db);

    /// <summary>Registry clients with the settings of <paramref name="settings"/> and logins from docker's config.json.</summary>
    public static RegistryClientFactory Registries(RegistrySettings settings, ICredentialProvider? credentials = null, TransferPolicy? policy = null) =>
        new(settings, credentials ?? new CredentialStore(), (policy ?? TransferPolicy.Default).Retry);

    public ImagePuller ImagePuller(RegistryClientFactory registries, TransferPolicy? policy = null) =>
        new(registries, Images, Content, BlobSources, policy);

    public ImagePusher ImagePusher(RegistryClientFactory registries, TransferPolicy? policy = null) =>
        new(registries, Images, Content, BlobSources, policy);
}
