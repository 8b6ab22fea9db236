using Strata.Distribution;
using Strata.Distribution.Credentials;
using Strata.Distribution.Pull;
using Strata.Distribution.Push;
using Strata.Distribution.Settings;
using Strata.Oci;

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

    /// <summary>
    /// Pulls one image as <c>docker pull</c> does for <c>run</c> and <c>build</c>: a missing tag means
    /// <c>latest</c>, and <paramref name="progress"/> gets docker's lines around the per-layer events
    /// (<c>TAG: Pulling from REPO</c>, <c>Digest: ...</c>, <c>Status: ...</c>) as <see cref="TransferStatus.Info"/>.
    /// </summary>
    public async Task<PullResult> PullImageAsync(ImagePuller puller, Reference reference, Platform? platform, IProgress<TransferEvent>? progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(puller);
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Tag is null && reference.Digest is null)
        {
            reference = reference.WithTag(Reference.DefaultTag);
        }

        Info(progress, $"{reference.Tag ?? reference.Digest?.ToString()}: Pulling from {reference.Path}");
        var result = await puller.PullAsync(reference, platform, progress, cancellationToken).ConfigureAwait(false);
        Info(progress, $"Digest: {result.Digest}");
        Info(progress, result.UpToDate
            ? $"Status: Image is up to date for {reference.FamiliarString}"
            : $"Status: Downloaded newer image for {reference.FamiliarString}");
        return result;
    }

    private static void Info(IProgress<TransferEvent>? progress, string line) =>
        progress?.Report(new TransferEvent(TransferStatus.Info, string.Empty, Detail: line));
}
