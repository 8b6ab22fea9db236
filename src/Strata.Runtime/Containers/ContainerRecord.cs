namespace Strata.Runtime.Containers;

/// <summary>A container as stored: identity, spec and last known state.</summary>
public sealed record ContainerRecord
{
    /// <summary>64 hex characters, as docker.</summary>
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required ContainerSpec Spec { get; init; }

    public required DateTimeOffset Created { get; init; }

    public ContainerState State { get; init; } = new();

    public string ShortId => Id[..12];

    /// <summary>The snapshot key of the container's writable layer.</summary>
    public string SnapshotKey => "container-" + Id;
}
