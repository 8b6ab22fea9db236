using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Strata.Oci;
using Strata.Registry.Ui;

namespace Strata.Registry.Tests.Ui;

/// <summary>Kestrel on 127.0.0.1:0 serving only the UI over <see cref="InMemoryUiData"/> seeded with one real image.</summary>
internal sealed class UiTestHost : IAsyncDisposable
{
    private UiTestHost(WebApplication app, InMemoryUiData data, Uri address)
    {
        App = app;
        Data = data;
        Address = address;
    }

    public WebApplication App { get; }

    public InMemoryUiData Data { get; }

    public Uri Address { get; }

    public static async Task<UiTestHost> StartAsync()
    {
        var data = new InMemoryUiData();
        data.Users["admin"] = ("secret", true, true);
        data.Users["reader"] = ("read", false, false);
        var lower = TestLayers.Tar(gzip: true, ("bin/busybox", 2000), ("etc/passwd", 30), ("tmp/cache.bin", 4096));
        var upper = TestLayers.Tar(gzip: true, ("etc/passwd", 45), ("tmp/.wh.cache.bin", 0));
        var layers = new[] { TestLayers.Describe(lower, true), TestLayers.Describe(upper, true) };
        data.Blobs[layers[0].Digest] = lower;
        data.Blobs[layers[1].Digest] = upper;
        var config = """{"architecture":"amd64","os":"linux","created":"2026-11-24T00:00:00Z","config":{"Env":["PATH=/bin"],"Cmd":["sh"],"ExposedPorts":{"8080/tcp":{}},"Labels":{"org.opencontainers.image.title":"busybox"}},"rootfs":{"type":"layers","diff_ids":[]},"history":[{"created":"2026-11-24T00:00:00Z","created_by":"strata import busybox.tar"},{"created":"2026-11-24T00:00:01Z","created_by":"/bin/sh -c adduser app && rm /tmp/cache.bin"}]}"""u8.ToArray();
        var configDigest = Digest.Compute(config);
        data.Blobs[configDigest] = config;
        var layerJson = string.Join(",", layers.Select(l => $$"""{"mediaType":"{{l.MediaType}}","digest":"{{l.Digest}}","size":{{l.Size}}}"""));
        var manifest = Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}","config":{"mediaType":"{{MediaTypes.OciConfig}}","digest":"{{configDigest}}","size":{{config.Length}}},"layers":[{{layerJson}}]}""");
        var ui = new UiManifest(Digest.Compute(manifest).ToString(), MediaTypes.OciManifest, manifest);
        data.Tags["team/busybox"] = new() { ["latest"] = ui, ["1.35"] = ui };
        data.Tags["other"] = new() { ["v1"] = ui };

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapRegistryUi(data);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return new UiTestHost(app, data, address);
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}
