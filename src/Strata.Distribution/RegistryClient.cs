using Strata.Distribution.Protocol;
using Strata.Distribution.Transport;

namespace Strata.Distribution;

/// <summary>
/// The protocol client for one registry endpoint, split along the spec's endpoint groups: <see cref="Ping"/>,
/// <see cref="Manifests"/>, <see cref="Blobs"/>, <see cref="Uploads"/>, <see cref="Tags"/>. Policy (parallelism,
/// chunking, mount-then-upload, resume) lives in the pull and push code that uses it.
/// </summary>
public sealed class RegistryClient : IDisposable
{
    public RegistryClient(RegistryConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Connection = connection;
        Ping = new PingApi(connection);
        Manifests = new ManifestsApi(connection);
        Blobs = new BlobsApi(connection);
        Uploads = new UploadsApi(connection);
        Tags = new TagsApi(connection);
    }

    public RegistryConnection Connection { get; }

    public RegistryEndpoint Endpoint => Connection.Endpoint;

    public PingApi Ping { get; }

    public ManifestsApi Manifests { get; }

    public BlobsApi Blobs { get; }

    public UploadsApi Uploads { get; }

    public TagsApi Tags { get; }

    public void Dispose() => Connection.Dispose();
}
