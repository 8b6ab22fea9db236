using Strata.Distribution;
using Strata.Distribution.Credentials;
using Strata.Distribution.Settings;
using Strata.Distribution.Transport;
using Strata.Engine;
using Strata.Oci;
using Strata.Registry.Proxy;
using Strata.Storage.Streams;

namespace Strata.Cli.Commands.Registry;

/// <summary>
/// The pull-through cache's upstream, through Strata's registry client (auth challenges, tokens,
/// retries, TLS trust). Lives in the CLI so the registry server does not depend on the client.
/// </summary>
public sealed class UpstreamRegistryAdapter : IUpstreamRegistry, IDisposable
{
    private readonly RegistryClientFactory _factory;
    private readonly RegistryEndpoint _endpoint;
    private readonly SemaphoreSlim _connect = new(1, 1);
    private RegistryClient? _client;

    public UpstreamRegistryAdapter(Uri upstream, RegistryCredential? credential, RegistrySettings settings)
    {
        var authority = upstream.Authority;
        var isHub = DockerHub.IsAlias(authority);
        var baseUri = isHub ? DockerHub.Endpoint : new Uri(upstream.GetLeftPart(UriPartial.Authority));
        _endpoint = new RegistryEndpoint(isHub ? DockerHub.Domain : authority, baseUri,
            upstream.Scheme == Uri.UriSchemeHttp || settings.IsInsecure(authority), SchemeFixed: true);
        _factory = StrataEngine.Registries(settings, new FixedCredentialProvider(credential));
    }

    public async Task<UpstreamManifest?> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        var client = await ClientAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var m = await client.Manifests.GetAsync(repository, reference, cancellationToken).ConfigureAwait(false);
            return new UpstreamManifest(m.Raw.ToArray(), m.MediaType);
        }
        catch (StrataException e) when (e.Kind == ErrorKind.NotFound)
        {
            return null;
        }
    }

    public async Task<Stream?> OpenBlobAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        var client = await ClientAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var blob = await client.Blobs.OpenAsync(repository, digest, 0, cancellationToken).ConfigureAwait(false);
            return new OwnedStream(blob.Content, blob);
        }
        catch (StrataException e) when (e.Kind == ErrorKind.NotFound)
        {
            return null;
        }
    }

    public void Dispose()
    {
        _client?.Dispose();
        _connect.Dispose();
    }

    private async Task<RegistryClient> ClientAsync(CancellationToken cancellationToken)
    {
        if (_client is { } c)
        {
            return c;
        }

        await _connect.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _client ??= await _factory.ConnectAsync(_endpoint, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _connect.Release();
        }
    }
}
