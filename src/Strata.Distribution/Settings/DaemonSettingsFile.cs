using System.Text.Json.Serialization;

namespace Strata.Distribution.Settings;

/// <summary>
/// The registry keys of a docker <c>daemon.json</c> (other keys are ignored): <c>insecure-registries</c>,
/// <c>registry-mirrors</c>, plus Strata's <c>certs-dir</c> (docker's <c>/etc/docker/certs.d</c> equivalent).
/// </summary>
public sealed record DaemonSettingsFile
{
    [JsonPropertyName("insecure-registries")]
    public IReadOnlyList<string>? InsecureRegistries { get; init; }

    [JsonPropertyName("registry-mirrors")]
    public IReadOnlyList<string>? RegistryMirrors { get; init; }

    [JsonPropertyName("certs-dir")]
    public string? CertsDir { get; init; }
}
