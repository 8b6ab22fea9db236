using System.Collections.Concurrent;
using Strata.Distribution.Credentials;
using Strata.Distribution.Protocol;
using Strata.Distribution.Settings;
using Strata.Distribution.Tests.Support;
using Strata.Oci;

namespace Strata.Distribution.Tests.Registry;

/// <summary>
/// Authentication against a real CNCF distribution: htpasswd Basic auth behind TLS with a certificate from a test
/// CA, and the Bearer token flow with <see cref="TokenServer"/> as the registry's token service.
/// </summary>
[Trait("Category", "Integration")]
public sealed class AuthTests : IAsyncLifetime
{
    private const string User = "alice";
    private const string Password = "s3cret-pass";

    private string _dir = null!;

    public Task InitializeAsync()
    {
        _dir = Directory.CreateTempSubdirectory("strata-auth-test-").FullName;
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }

    private static readonly RegistryCredential Good = new(User, Password);

    private static IReadOnlyList<IReadOnlyDictionary<string, byte[]>> ThreeLayers() =>
    [
        new Dictionary<string, byte[]> { ["etc/os-release"] = "NAME=strata-auth\n"u8.ToArray() },
        new Dictionary<string, byte[]> { ["usr/lib/lib.so"] = TestStore.Random(700_000) },
        new Dictionary<string, byte[]> { ["app/run.sh"] = "#!/bin/sh\necho hi\n"u8.ToArray(), ["app/blob"] = TestStore.Random(1_300_000) },
    ];

    /// <summary>Loopback is not insecure here, and the test CA is trusted only when <paramref name="trustCa"/> (certs.d/HOST:PORT/ca.crt).</summary>
    private RegistrySettings Strict(TestRegistry registry, TestCertificates certs, bool trustCa)
    {
        var certsDir = Path.Combine(_dir, trustCa ? "certs.d" : "certs.d-empty");
        Directory.CreateDirectory(certsDir);
        if (trustCa)
        {
            var hostDir = Path.Combine(certsDir, registry.Host);
            Directory.CreateDirectory(hostDir);
            File.Copy(certs.CaCertPath, Path.Combine(hostDir, "ca.crt"), overwrite: true);
        }

        return RegistrySettings.Default with { InsecureCidrs = [], CertsDir = certsDir };
    }

    private async Task<(TestRegistry Registry, TestCertificates Certs)> StartBasicTlsAsync()
    {
        var certs = TestCertificates.Create(Path.Combine(_dir, "tls"));
        var registry = await TestRegistry.StartAsync(htpasswd: (User, Password), tls: certs);
        Assert.True(registry.Tls);
        return (registry, certs);
    }

    [Fact]
    public async Task Basic_auth_over_verified_TLS_pushes_and_pulls_back_a_multi_layer_image()
    {
        var (registry, certs) = await StartBasicTlsAsync();
        using var _ = registry;
        var settings = Strict(registry, certs, trustCa: true);
        var creds = new FixedCredentialProvider(Good);

        await using var source = await TestStore.CreateAsync();
        var name = $"{registry.Host}/secure/app:1";
        var image = await source.MakeImageAsync(name, ThreeLayers());
        var events = new ConcurrentQueue<TransferEvent>();
        var pushed = await source.Engine.ImagePusher(TestRegistries.Factory(settings, creds), TestRegistries.Policy())
            .PushAsync(Reference.Parse(name), new Collect(events));
        Assert.Equal(image.ManifestDigest, pushed.Digest);
        Assert.Equal(3, events.Count(e => e.Status == TransferStatus.Pushed));

        // The connection really is verified HTTPS with Basic auth, not a fallback to plain HTTP.
        using (var client = await TestRegistries.Factory(settings, creds).ConnectAsync(TestRegistries.Factory(settings).PushEndpoint(registry.Host), verifyCredentials: true))
        {
            Assert.Equal(Uri.UriSchemeHttps, client.Connection.Endpoint.BaseUri.Scheme);
            Assert.Equal("Basic", client.Connection.Auth.Scheme);
        }

        await using var target = await TestStore.CreateAsync();
        var pulled = await target.Engine.ImagePuller(TestRegistries.Factory(settings, creds), TestRegistries.Policy()).PullAsync(Reference.Parse(name));
        Assert.Equal(image.Id, pulled.Image.Id);
        Assert.Equal(pushed.Digest, pulled.Digest);
        Assert.Equal(await source.LayerTreesAsync(image), await target.LayerTreesAsync(pulled.Image));
        await target.AssertConsistentAsync();
    }

    [Fact]
    public async Task Wrong_password_is_a_typed_unauthorized_error_that_says_to_run_strata_login()
    {
        var (registry, certs) = await StartBasicTlsAsync();
        using var _ = registry;
        var settings = Strict(registry, certs, trustCa: true);
        await using var store = await TestStore.CreateAsync();
        var name = $"{registry.Host}/secure/app:1";
        await store.MakeImageAsync(name, ThreeLayers().Take(1).ToList());
        var wrong = new FixedCredentialProvider(new RegistryCredential(User, "not-the-password"));

        var push = await Assert.ThrowsAsync<RegistryException>(() =>
            store.Engine.ImagePusher(TestRegistries.Factory(settings, wrong), TestRegistries.Policy()).PushAsync(Reference.Parse(name)));
        AssertUnauthorized(push, registry.Host);

        var pull = await Assert.ThrowsAsync<RegistryException>(() =>
            store.Engine.ImagePuller(TestRegistries.Factory(settings, wrong), TestRegistries.Policy()).PullAsync(Reference.Parse($"{registry.Host}/secure/other:1")));
        AssertUnauthorized(pull, registry.Host);

        // login: verifying the credential against the registry is refused the same way.
        var login = await Assert.ThrowsAsync<RegistryException>(() =>
            TestRegistries.Factory(settings, wrong).ConnectAsync(TestRegistries.Factory(settings).PushEndpoint(registry.Host), verifyCredentials: true));
        AssertUnauthorized(login, registry.Host);
    }

    [Fact]
    public async Task No_credentials_is_unauthorized_and_stores_nothing()
    {
        var (registry, certs) = await StartBasicTlsAsync();
        using var _ = registry;
        var settings = Strict(registry, certs, trustCa: true);
        await using var store = await TestStore.CreateAsync();
        var name = $"{registry.Host}/secure/app:1";
        await store.MakeImageAsync(name, ThreeLayers().Take(1).ToList());

        var push = await Assert.ThrowsAsync<RegistryException>(() =>
            store.Engine.ImagePusher(TestRegistries.Factory(settings), TestRegistries.Policy()).PushAsync(Reference.Parse(name)));
        AssertUnauthorized(push, registry.Host);

        await using var target = await TestStore.CreateAsync();
        var pull = await Assert.ThrowsAsync<RegistryException>(() =>
            target.Engine.ImagePuller(TestRegistries.Factory(settings), TestRegistries.Policy()).PullAsync(Reference.Parse(name)));
        AssertUnauthorized(pull, registry.Host);
        Assert.Empty(await target.Engine.Images.ListAsync().ToListAsync());
    }

    [Fact]
    public async Task Untrusted_self_signed_certificate_fails_with_a_certificate_error_unless_trusted_or_insecure()
    {
        var (registry, certs) = await StartBasicTlsAsync();
        using var _ = registry;
        var creds = new FixedCredentialProvider(Good);
        var name = Reference.Parse($"{registry.Host}/secure/app:1");
        await using (var source = await TestStore.CreateAsync())
        {
            await source.MakeImageAsync(name.ToString(), ThreeLayers().Take(1).ToList());
            await source.Engine.ImagePusher(TestRegistries.Factory(Strict(registry, certs, trustCa: true), creds), TestRegistries.Policy()).PushAsync(name);
        }

        // Not insecure, CA not trusted: a clear certificate error that says how to fix it, and nothing stored.
        await using var target = await TestStore.CreateAsync();
        var untrusted = Strict(registry, certs, trustCa: false);
        var e = await Assert.ThrowsAnyAsync<StrataException>(() =>
            target.Engine.ImagePuller(TestRegistries.Factory(untrusted, creds), TestRegistries.Policy()).PullAsync(name));
        Assert.Equal("TLS_UNTRUSTED", e.Code);
        Assert.Equal(ErrorKind.FailedPrecondition, e.Kind);
        Assert.Contains("failed to verify certificate of " + registry.Host, e.Message, StringComparison.Ordinal);
        Assert.Contains($"certs.d/{registry.Host}/ca.crt", e.Message, StringComparison.Ordinal);
        Assert.Contains("insecure-registries", e.Message, StringComparison.Ordinal);
        Assert.Empty(await target.Engine.Images.ListAsync().ToListAsync());

        // Listing the registry in insecure-registries (daemon.json) accepts the certificate unverified, over TLS still.
        var listed = RegistrySettings.FromFile(new DaemonSettingsFile { InsecureRegistries = [registry.Host], CertsDir = untrusted.CertsDir }) with { InsecureCidrs = [] };
        Assert.True(listed.IsInsecure(registry.Host));
        var pulled = await target.Engine.ImagePuller(TestRegistries.Factory(listed, creds), TestRegistries.Policy()).PullAsync(name);
        Assert.False(pulled.UpToDate);

        // And by default loopback counts as insecure (as in docker), so the defaults connect to it too.
        Assert.True(RegistrySettings.Default.IsInsecure(registry.Host));
        using var client = await TestRegistries.Factory(RegistrySettings.Default, creds).ConnectAsync(TestRegistries.Factory().PushEndpoint(registry.Host), verifyCredentials: true);
        Assert.Equal(Uri.UriSchemeHttps, client.Connection.Endpoint.BaseUri.Scheme);
    }

    private async Task<(TokenServer Tokens, TestRegistry Registry)> StartTokenAuthAsync()
    {
        var tokens = await TokenServer.StartAsync(Path.Combine(_dir, "token"), User, Password);
        var registry = await TestRegistry.StartAsync(tokenRealm: tokens.Realm, tokenService: TokenServer.Service, tokenIssuer: TokenServer.Issuer, tokenRootCert: tokens.RootCertPath);
        return (tokens, registry);
    }

    [Fact]
    public async Task Bearer_push_with_credentials_asks_for_a_push_scope_and_anonymous_pull_of_public_works()
    {
        var (tokens, registry) = await StartTokenAuthAsync();
        await using var __ = tokens;
        using var _ = registry;
        var creds = new FixedCredentialProvider(Good);

        await using var source = await TestStore.CreateAsync();
        var name = $"{registry.Host}/public/app:1";
        var image = await source.MakeImageAsync(name, ThreeLayers());
        var pushed = await source.Engine.ImagePusher(TestRegistries.Factory(credentials: creds), TestRegistries.Policy()).PushAsync(Reference.Parse(name));
        Assert.Equal(image.ManifestDigest, pushed.Digest);
        Assert.Contains(tokens.Requests, r => r.Authenticated && r.Account == User && r.Scopes.Contains("repository:public/app:pull,push"));
        Assert.DoesNotContain(tokens.Requests, r => !r.Authenticated);

        // Anonymous: the token service hands out a pull-only token for public/*, and the pull works with it.
        tokens.Requests.Clear();
        await using var target = await TestStore.CreateAsync();
        var pulled = await target.Engine.ImagePuller(TestRegistries.Factory(), TestRegistries.Policy()).PullAsync(Reference.Parse(name));
        Assert.Equal(image.Id, pulled.Image.Id);
        Assert.Equal(await source.LayerTreesAsync(image), await target.LayerTreesAsync(pulled.Image));
        Assert.NotEmpty(tokens.Requests);
        Assert.All(tokens.Requests, r => Assert.False(r.Authenticated));
        Assert.Contains(tokens.Requests, r => r.Account is null && r.Scopes.Contains("repository:public/app:pull"));
        Assert.DoesNotContain(tokens.Requests, r => r.Scopes.Any(s => s.Contains("push", StringComparison.Ordinal)));
        await target.AssertConsistentAsync();
    }

    [Fact]
    public async Task Bearer_private_repository_needs_credentials_and_a_wrong_password_says_to_run_strata_login()
    {
        var (tokens, registry) = await StartTokenAuthAsync();
        await using var __ = tokens;
        using var _ = registry;

        await using var source = await TestStore.CreateAsync();
        var name = Reference.Parse($"{registry.Host}/team/app:1");
        var image = await source.MakeImageAsync(name.ToString(), ThreeLayers().Take(2).ToList());
        await source.Engine.ImagePusher(TestRegistries.Factory(credentials: new FixedCredentialProvider(Good)), TestRegistries.Policy()).PushAsync(name);
        Assert.Contains(tokens.Requests, r => r.Authenticated && r.Scopes.Contains("repository:team/app:pull,push"));

        // Anonymous: a token without actions, which the registry refuses.
        await using var target = await TestStore.CreateAsync();
        var anonymous = await Assert.ThrowsAnyAsync<StrataException>(() =>
            target.Engine.ImagePuller(TestRegistries.Factory(), TestRegistries.Policy()).PullAsync(name));
        Assert.Contains(anonymous.Kind, new[] { ErrorKind.Unauthenticated, ErrorKind.Denied });
        Assert.Contains("strata login", anonymous.Message, StringComparison.Ordinal);

        // Wrong password: the token service refuses it, and the error says what to do.
        var wrong = new FixedCredentialProvider(new RegistryCredential(User, "nope"));
        var e = await Assert.ThrowsAsync<RegistryException>(() =>
            target.Engine.ImagePuller(TestRegistries.Factory(credentials: wrong), TestRegistries.Policy()).PullAsync(name));
        AssertUnauthorized(e, registry.Host);
        Assert.Contains("incorrect username or password", e.Message, StringComparison.Ordinal);
        Assert.Contains(tokens.Requests, r => r.Account == User && !r.Authenticated);
        Assert.Empty(await target.Engine.Images.ListAsync().ToListAsync());

        // The right one pulls.
        var pulled = await target.Engine.ImagePuller(TestRegistries.Factory(credentials: new FixedCredentialProvider(Good)), TestRegistries.Policy()).PullAsync(name);
        Assert.Equal(image.Id, pulled.Image.Id);
    }

    [Fact]
    public async Task Credentials_are_never_sent_to_a_plain_HTTP_realm_on_a_host_that_is_not_insecure()
    {
        // The realm is another port (another authority) over plain HTTP; only the fake registry is insecure.
        await using var tokens = await TokenServer.StartAsync(Path.Combine(_dir, "token"), User, Password);
        await using var fake = await ChallengeRegistry.StartAsync($"Bearer realm=\"{tokens.Realm}\",service=\"{TokenServer.Service}\"");
        var settings = RegistrySettings.Default with { InsecureCidrs = [], InsecureHosts = [fake.Host] };
        var creds = new FixedCredentialProvider(Good);

        await using var store = await TestStore.CreateAsync();
        var name = Reference.Parse($"{fake.Host}/team/app:1");
        var e = await Assert.ThrowsAnyAsync<StrataException>(() =>
            store.Engine.ImagePuller(TestRegistries.Factory(settings, creds), TestRegistries.Policy()).PullAsync(name));
        Assert.Equal("AUTH_REALM_INSECURE", e.Code);
        Assert.Equal(ErrorKind.Unauthenticated, e.Kind);
        Assert.Contains(new Uri(tokens.Realm).Authority, e.Message, StringComparison.Ordinal);
        Assert.Contains("insecure-registries", e.Message, StringComparison.Ordinal);
        Assert.Empty(tokens.Requests);
        Assert.NotEmpty(fake.Requests);
        Assert.All(fake.Requests, r => Assert.Null(r.Authorization));

        // Control: once the realm's host is allowed, the same challenge does get the credentials there.
        var allowed = settings with { InsecureHosts = [fake.Host, new Uri(tokens.Realm).Authority] };
        await Assert.ThrowsAnyAsync<StrataException>(() =>
            store.Engine.ImagePuller(TestRegistries.Factory(allowed, creds), TestRegistries.Policy()).PullAsync(name));
        Assert.Contains(tokens.Requests, r => r.Authenticated && r.Account == User);
        Assert.Contains(fake.Requests, r => r.Authorization?.StartsWith("Bearer ", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_realm_that_is_not_an_http_URL_is_refused()
    {
        await using var fake = await ChallengeRegistry.StartAsync("Bearer realm=\"file:///etc/passwd\",service=\"x\"");
        var creds = new FixedCredentialProvider(Good);
        await using var store = await TestStore.CreateAsync();
        var e = await Assert.ThrowsAnyAsync<StrataException>(() =>
            store.Engine.ImagePuller(TestRegistries.Factory(credentials: creds), TestRegistries.Policy()).PullAsync(Reference.Parse($"{fake.Host}/team/app:1")));
        Assert.Equal("AUTH_REALM_INVALID", e.Code);
        Assert.Contains("file:///etc/passwd", e.Message, StringComparison.Ordinal);
        Assert.All(fake.Requests, r => Assert.Null(r.Authorization));
    }

    private static void AssertUnauthorized(RegistryException e, string host)
    {
        Assert.Equal(ErrorKind.Unauthenticated, e.Kind);
        Assert.Equal("UNAUTHORIZED", e.Code);
        Assert.Contains("unauthorized", e.Message, StringComparison.Ordinal);
        Assert.Contains("run strata login " + host, e.Message, StringComparison.Ordinal);
    }

    private sealed class Collect(ConcurrentQueue<TransferEvent> sink) : IProgress<TransferEvent>
    {
        public void Report(TransferEvent value) => sink.Enqueue(value);
    }
}
