namespace Strata.Runtime.Containers;

/// <summary>The flags of <c>create</c>/<c>run</c>, before they are merged with the image's config.</summary>
public sealed record ContainerOptions
{
    public required string Image { get; init; }

    public string? Name { get; init; }

    /// <summary>Command after the image name; empty keeps the image's Cmd.</summary>
    public IReadOnlyList<string> Command { get; init; } = [];

    /// <summary><c>--entrypoint</c>: null keeps the image's; empty string clears it.</summary>
    public string? Entrypoint { get; init; }

    public IReadOnlyList<string> Env { get; init; } = [];

    public string? WorkingDir { get; init; }

    public string? User { get; init; }

    public string? Hostname { get; init; }

    public bool Tty { get; init; }

    public bool Interactive { get; init; }

    public string Network { get; init; } = "bridge";

    /// <summary><c>--network-alias</c> values (user-defined networks only).</summary>
    public IReadOnlyList<string> NetworkAliases { get; init; } = [];

    /// <summary><c>--ip</c>: a fixed address on the (user-defined) network.</summary>
    public string? IpAddress { get; init; }

    public string? MacAddress { get; init; }

    /// <summary><c>--add-host NAME:IP</c>.</summary>
    public IReadOnlyList<string> ExtraHosts { get; init; } = [];

    public IReadOnlyList<string> Dns { get; init; } = [];

    public IReadOnlyList<string> DnsSearch { get; init; } = [];

    public IReadOnlyList<string> DnsOptions { get; init; } = [];

    /// <summary><c>--link CONTAINER[:ALIAS]</c>.</summary>
    public IReadOnlyList<string> Links { get; init; } = [];

    /// <summary><c>-v</c> values.</summary>
    public IReadOnlyList<string> Volumes { get; init; } = [];

    /// <summary><c>--mount</c> values.</summary>
    public IReadOnlyList<string> Mounts { get; init; } = [];

    /// <summary><c>--tmpfs</c> values.</summary>
    public IReadOnlyList<string> Tmpfs { get; init; } = [];

    public ResourceLimits Resources { get; init; } = new();

    public RestartPolicy Restart { get; init; } = RestartPolicy.No;

    public bool AutoRemove { get; init; }

    public bool Privileged { get; init; }

    public bool ReadOnly { get; init; }

    public IReadOnlyList<string> CapAdd { get; init; } = [];

    public IReadOnlyList<string> CapDrop { get; init; } = [];

    /// <summary><c>--security-opt</c> values.</summary>
    public IReadOnlyList<string> SecurityOpt { get; init; } = [];

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public string? StopSignal { get; init; }

    public int? StopTimeout { get; init; }

    /// <summary><c>--health-*</c> (missing fields come from the image's <c>HEALTHCHECK</c>); <c>Test = ["NONE"]</c> for <c>--no-healthcheck</c>.</summary>
    public Strata.Oci.HealthConfig? Healthcheck { get; init; }

    public bool Init { get; init; }

    public IReadOnlyList<Ulimit> Ulimits { get; init; } = [];

    public long ShmSize { get; init; }

    public IReadOnlyDictionary<string, string> Sysctls { get; init; } = new Dictionary<string, string>();

    /// <summary><c>-p [IP:]HOST:CONTAINER[/PROTO]</c> values.</summary>
    public IReadOnlyList<string> Publish { get; init; } = [];
}
