using Strata.Runtime.Security;

namespace Strata.Runtime.Containers;

/// <summary>
/// What a container was created with: the image's config merged with the flags of <c>create</c>/<c>run</c>.
/// Stored as JSON with the container; the bundle is generated from it on every start.
/// </summary>
public sealed record ContainerSpec
{
    /// <summary>The image as the user named it (<c>busybox</c>).</summary>
    public required string Image { get; init; }

    /// <summary>The image ID (config digest) at creation.</summary>
    public required string ImageId { get; init; }

    /// <summary>Top chain ID of the image's layers (the snapshot parent); null for an empty image.</summary>
    public string? ChainId { get; init; }

    public IReadOnlyList<string> Entrypoint { get; init; } = [];

    public IReadOnlyList<string> Cmd { get; init; } = [];

    public IReadOnlyList<string> Env { get; init; } = [];

    public string WorkingDir { get; init; } = string.Empty;

    public string User { get; init; } = string.Empty;

    public string Hostname { get; init; } = string.Empty;

    public string Domainname { get; init; } = string.Empty;

    public bool Tty { get; init; }

    public bool OpenStdin { get; init; }

    /// <summary>The network mode: <c>bridge</c> (default), <c>none</c>, <c>host</c> or the name of the first user-defined network.</summary>
    public string Network { get; init; } = "bridge";

    /// <summary>The networks it is connected to, in order (eth0 first); empty for none/host (and for containers made before networks, meaning the default bridge).</summary>
    public IReadOnlyList<Network.EndpointSettings> Networks { get; init; } = [];

    /// <summary><c>--add-host NAME:IP</c> entries (IP may be <c>host-gateway</c>).</summary>
    public IReadOnlyList<string> ExtraHosts { get; init; } = [];

    /// <summary><c>--dns</c> servers.</summary>
    public IReadOnlyList<string> Dns { get; init; } = [];

    public IReadOnlyList<string> DnsSearch { get; init; } = [];

    public IReadOnlyList<string> DnsOptions { get; init; } = [];

    /// <summary><c>--link</c>s as <c>CONTAINER:ALIAS</c> (legacy: hosts entries in this container).</summary>
    public IReadOnlyList<string> Links { get; init; } = [];

    public IReadOnlyList<MountPoint> Mounts { get; init; } = [];

    public ResourceLimits Resources { get; init; } = new();

    public RestartPolicy Restart { get; init; } = RestartPolicy.No;

    public bool AutoRemove { get; init; }

    public bool Privileged { get; init; }

    public bool ReadOnlyRootfs { get; init; }

    public IReadOnlyList<string> CapAdd { get; init; } = [];

    public IReadOnlyList<string> CapDrop { get; init; } = [];

    /// <summary><c>--security-opt</c>: seccomp profile, no-new-privileges, AppArmor.</summary>
    public SecuritySettings Security { get; init; } = new();

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Signal <c>stop</c> sends first (image StopSignal or <c>--stop-signal</c>).</summary>
    public string StopSignal { get; init; } = "SIGTERM";

    /// <summary>Seconds <c>stop</c> waits before SIGKILL; null: 10.</summary>
    public int? StopTimeout { get; init; }

    /// <summary>The effective health check (image <c>HEALTHCHECK</c> merged with <c>--health-*</c>); null or <c>NONE</c>: none.</summary>
    public Strata.Oci.HealthConfig? Healthcheck { get; init; }

    /// <summary><c>--init</c>: a minimal init (tini) runs as PID 1, reaps zombies and forwards signals to the command.</summary>
    public bool Init { get; init; }

    /// <summary><c>--ulimit</c>: process rlimits.</summary>
    public IReadOnlyList<Ulimit> Ulimits { get; init; } = [];

    /// <summary><c>--shm-size</c> in bytes; 0: docker's 64 MiB.</summary>
    public long ShmSize { get; init; }

    /// <summary><c>--sysctl</c>: namespaced kernel parameters.</summary>
    public IReadOnlyDictionary<string, string> Sysctls { get; init; } = new Dictionary<string, string>();

    /// <summary><c>-p</c> mappings (forwarded by the monitor from the host address into the container's network namespace).</summary>
    public IReadOnlyList<PortMapping> Publish { get; init; } = [];

    /// <summary>The OCI runtime that runs it: <c>crun</c> or <c>runc</c> (or a path).</summary>
    public required string Runtime { get; init; }

    /// <summary>The process: Entrypoint followed by Cmd.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string> Args => [.. Entrypoint, .. Cmd];
}
