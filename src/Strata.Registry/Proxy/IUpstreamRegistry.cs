using Strata.Oci;

namespace Strata.Registry.Proxy;

/// <summary>
/// The registry a pull-through cache mirrors. The server only needs these two reads; the
/// implementation (with auth challenges, tokens and retries) is the registry client, composed in by
/// the CLI so that the server itself stays independent of it.
/// </summary>
public interface IUpstreamRegistry
{
    /// <summary>Fetches a manifest by tag or digest; null when the upstream does not have it.</summary>
    Task<UpstreamManifest?> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken);

    /// <summary>Opens a blob for reading; null when the upstream does not have it.</summary>
    Task<Stream?> OpenBlobAsync(string repository, Digest digest, CancellationToken cancellationToken);
}
