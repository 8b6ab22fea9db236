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
    /// The image <c>run</c>/<c>create</c> start from, resolved once: the local one, or pulled as
    /// <paramref name="policy"/> says (with the registry settings and logins of this machine). Progress and
    /// docker's status lines ("Unable to find image ... locally", "Digest: ...") go to <paramref name="progress"/>.
    /// </summary>
    public async Task<ImageRecord> EnsureImageAsync(string image, PullPolicy policy, Platform? platform, IProgress<TransferEvent>? progress, CancellationToken cancellationToken = default)
    {
        var local = await Images.TryResolveAsync(image, cancellationToken).ConfigureAwait(false);
        if (local is not null && policy != PullPolicy.Always || policy == PullPolicy.Never)
        {
            return local ?? throw StrataException.NotFound("IMAGE_NOT_FOUND", $"No such image: {image}");
        }

        var reference = Reference.ParseAny(image);
        if (reference.Tag is null && reference.Digest is null)
        {
            reference = reference.WithTag(Reference.DefaultTag);
        }

        if (local is null)
        {
            Info($"Unable to find image '{reference.FamiliarString}' locally");
        }

        var settings = await RegistrySettings.LoadAsync(null, cancellationToken).ConfigureAwait(false);
        Info($"{reference.Tag ?? reference.Digest?.ToString()}: Pulling from {reference.Path}");
        var result = await ImagePuller(Registries(settings)).PullAsync(reference, platform, progress, cancellationToken).ConfigureAwait(false);
        Info($"Digest: {result.Digest}");
        Info($"Status: Downloaded newer image for {reference.FamiliarString}");
        return result.Image;

        void Info(string line) => progress?.Report(new TransferEvent(TransferStatus.Info, string.Empty, Detail: line));
    }
}
