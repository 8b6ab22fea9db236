using System.Text.Json;

namespace Strata.Integration.Tests.Support;

/// <summary>skopeo against loopback registries (no TLS verification: test registries use self-signed certificates or plain HTTP).</summary>
public static class Skopeo
{
    public static Task<ProcessResult> RunAsync(params string[] args) =>
        Proc.RunAsync("skopeo", args, timeout: TimeSpan.FromMinutes(5));

    /// <summary><c>skopeo copy</c> with TLS verification off on both sides; extra flags before the addresses.</summary>
    public static async Task CopyAsync(string source, string destination, params string[] flags) =>
        (await RunAsync(["copy", "--quiet", "--src-tls-verify=false", "--dest-tls-verify=false", .. flags, source, destination]))
            .EnsureSuccess($"skopeo copy {source} {destination}");

    /// <summary><c>skopeo inspect</c> parsed.</summary>
    public static async Task<JsonElement> InspectAsync(string image, params string[] flags) =>
        JsonDocument.Parse((await RunAsync(["inspect", "--tls-verify=false", .. flags, image])).EnsureSuccess($"skopeo inspect {image}").Stdout).RootElement.Clone();
}
