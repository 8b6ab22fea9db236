using Strata.Runtime.Containers;

namespace Strata.Runtime.Bundles;

/// <summary>Everything <see cref="BundleWriter"/> needs beyond the container itself.</summary>
public sealed record BundleRequest
{
    public required ContainerRecord Container { get; init; }

    /// <summary>The mounted root filesystem.</summary>
    public required string Rootfs { get; init; }

    /// <summary>Host files bind-mounted at /etc/hosts, /etc/resolv.conf and /etc/hostname.</summary>
    public required string HostsFile { get; init; }

    public required string ResolvConfFile { get; init; }

    public required string HostnameFile { get; init; }

    /// <summary>Volume, bind and tmpfs mounts, host side resolved, in the order to mount.</summary>
    public IReadOnlyList<BundleMount> UserMounts { get; init; } = [];

    /// <summary>Network namespace to join (a path under /proc or /run/netns), or null for a new one.</summary>
    public string? NetworkNamespacePath { get; init; }

    /// <summary>Cgroup path relative to the hierarchy roots.</summary>
    public required string CgroupsPath { get; init; }
}
