namespace Strata.Storage.Snapshots;

public enum SnapshotKind
{
    /// <summary>Read-only view of a committed parent.</summary>
    View,

    /// <summary>Writable, not yet committed.</summary>
    Active,

    /// <summary>Immutable; may be a parent.</summary>
    Committed,
}
