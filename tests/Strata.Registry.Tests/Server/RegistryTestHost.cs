using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Strata.Oci;
using Strata.Registry.Server;

namespace Strata.Registry.Tests.Server;

/// <summary>A real <see cref="RegistryServer"/> on 127.0.0.1:0 over a temporary data directory, plus push helpers.</summary>
internal sealed class RegistryTestHost : IAsyncDisposable
{
    private RegistryTestHost(RegistryServer server, string root, HttpClient http)
    {
        Server = server;
        Root = root;
        Http = http;
    }

    public RegistryServer Server { get; private set; }

    public string Root { get; }

    public HttpClient Http { get; private set; }

    public static async Task<RegistryTestHost> StartAsync(Func<RegistryServerOptions, RegistryServerOptions>? configure = null, string? root = null)
    {
        root ??= Directory.CreateTempSubdirectory("strata-registry-test-").FullName;
        var options = new RegistryServerOptions { Root = root, Address = "127.0.0.1:0", InsecureHttp = true };
        options = configure?.Invoke(options) ?? options;
        var server = await RegistryServer.StartAsync(options);
        return new RegistryTestHost(server, root, NewClient(server));
    }

    /// <summary>Stops the server (as a crash would, between requests) and starts a new one on the same data.</summary>
    public async Task RestartAsync()
    {
        var options = Server.Options;
        Http.Dispose();
        await Server.DisposeAsync();
        Server = await RegistryServer.StartAsync(options);
        Http = NewClient(Server);
    }

    public async Task AddUserAsync(string name, string password, bool admin = false, params string[] groups)
    {
        await Server.Metadata.Access.SaveUserAsync(name, Auth.Passwords.Hash(password), admin, groups, replace: true, CancellationToken.None);
        await Server.Auth.Policy.RefreshAsync(CancellationToken.None, force: true);
    }

    public async Task GrantAsync(string subject, string pattern, params string[] actions)
    {
        await Server.Metadata.Access.GrantAsync(subject, pattern, actions, CancellationToken.None);
        await Server.Auth.Policy.RefreshAsync(CancellationToken.None, force: true);
    }

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    /// <summary>Monolithic upload (POST ?digest=); returns the digest.</summary>
    public async Task<Digest> PushBlobAsync(string repo, byte[] data, AuthenticationHeaderValue? auth = null)
    {
        var digest = Digest.Compute(data);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v2/{repo}/blobs/uploads/?digest={digest}") { Content = new ByteArrayContent(data) };
        request.Headers.Authorization = auth;
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return digest;
    }

    public async Task<HttpResponseMessage> PutManifestAsync(string repo, string reference, byte[] manifest, string mediaType, AuthenticationHeaderValue? auth = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/v2/{repo}/manifests/{reference}") { Content = new ByteArrayContent(manifest) };
        request.Headers.Authorization = auth;
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return await Http.SendAsync(request);
    }

    /// <summary>Pushes a config + one random layer + an OCI manifest under a tag; returns the manifest bytes and digest.</summary>
    public async Task<(byte[] Manifest, Digest Digest, Digest Layer)> PushImageAsync(string repo, string tag, int layerSize = 1000, AuthenticationHeaderValue? auth = null, byte[]? layer = null)
    {
        layer ??= RandomBytes(layerSize);
        var config = Encoding.UTF8.GetBytes($$$"""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["{{{Digest.Compute(layer)}}}"]}}""");
        var configDigest = await PushBlobAsync(repo, config, auth);
        var layerDigest = await PushBlobAsync(repo, layer, auth);
        var manifest = ImageManifest(configDigest, config.Length, layerDigest, layer.Length);
        using var response = await PutManifestAsync(repo, tag, manifest, MediaTypes.OciManifest, auth);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (manifest, Digest.Compute(manifest), layerDigest);
    }

    public static byte[] ImageManifest(Digest config, long configSize, Digest layer, long layerSize, string? extra = null) =>
        Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}","config":{"mediaType":"{{MediaTypes.OciConfig}}","digest":"{{config}}","size":{{configSize}}},"layers":[{"mediaType":"{{MediaTypes.OciLayerGzip}}","digest":"{{layer}}","size":{{layerSize}}}]{{extra}}}""");

    public static byte[] RandomBytes(int n)
    {
        var b = new byte[n];
        Random.Shared.NextBytes(b);
        return b;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static HttpClient NewClient(RegistryServer server) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = server.Address };
}
