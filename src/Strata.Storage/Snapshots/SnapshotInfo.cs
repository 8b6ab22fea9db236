namespace Strata.Storage.Snapshots;

/// <summary>A snapshot as the snapshotter stores it (containerd snapshots.Info). Committed names are chain IDs.</summary>
public sealed record SnapshotInfo(string Name, string? Parent, SnapshotKind Kind, DateTimeOffset CreatedAt, IReadOnlyDictionary<string, string> Labels);
