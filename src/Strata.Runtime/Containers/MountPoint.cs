namespace Strata.Runtime.Containers;

/// <summary>
/// A volume, bind or tmpfs mount of a container (<c>-v</c>, <c>--mount</c>, or an image <c>VOLUME</c>).
/// <see cref="Source"/> is the volume name (volume), host path (bind) or empty (tmpfs).
/// </summary>
public sealed record MountPoint
{
    public required string Type { get; init; }

    public string Source { get; init; } = string.Empty;

    public required string Destination { get; init; }

    public bool ReadOnly { get; init; }

    /// <summary>A volume created for this container alone (image VOLUME or <c>-v /path</c>); <c>rm -v</c> removes it.</summary>
    public bool Anonymous { get; init; }

    /// <summary>tmpfs size in bytes (0: the kernel's default).</summary>
    public long TmpfsSize { get; init; }
}
