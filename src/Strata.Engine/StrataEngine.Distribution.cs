using Strata.Distribution;
using Strata.Distribution.Credentials;
using Strata.Distribution.Pull;
using Strata.Distribution.Push;
using Strata.Distribution.Settings;
using Strata.Oci;
using Strata.Storage.Images;

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

    /// <summary>
    /// The image <c>run</c>/<c>create</c> start from, resolved once: the local one, or pulled as
    /// <paramref name="policy"/> says (with the registry settings and logins of this machine), reporting
    /// "Unable to find image ... locally" and the pull's lines to <paramref name="progress"/>.
    /// </summary>
    public async Task<ImageRecord> EnsureImageAsync(string image, PullPolicy policy, Platform? platform, IProgress<TransferEvent>? progress, CancellationToken cancellationToken = default)
    {
        var local = await Images.TryResolveAsync(image, cancellationToken).ConfigureAwait(false);
        if (local is not null && policy != PullPolicy.Always || policy == PullPolicy.Never)
        {
            return local ?? throw StrataException.NotFound("IMAGE_NOT_FOUND", $"No such image: {image}");
        }

        var reference = Reference.ParseAny(image);
        if (local is null)
        {
            Info(progress, $"Unable to find image '{(reference.Tag is null && reference.Digest is null ? reference.WithTag(Reference.DefaultTag) : reference).FamiliarString}' locally");
        }

        var settings = await RegistrySettings.LoadAsync(null, cancellationToken).ConfigureAwait(false);
        return (await PullImageAsync(ImagePuller(Registries(settings)), reference, platform, progress, cancellationToken).ConfigureAwait(false)).Image;
    }

    private static void Info(IProgress<TransferEvent>? progress, string line) =>
        progress?.Report(new TransferEvent(TransferStatus.Info, string.Empty, Detail: line));
}
