namespace Strata.Storage.Snapshots;

/// <summary>A snapshot's metadata row: <see cref="Id"/> names its directory (<c>snapshots/&lt;id&gt;</c>).</summary>
public sealed record SnapshotRow(long Id, string Key, long? ParentId, string? ParentKey, SnapshotKind Kind, DateTimeOffset CreatedAt, IReadOnlyDictionary<string, string> Labels)
{
    public SnapshotInfo ToInfo() => new(Key, ParentKey, Kind, CreatedAt, Labels);
}
