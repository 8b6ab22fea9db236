namespace Strata.Storage.Images.Analysis;

/// <summary>What one layer does to the merged tree: files added, changed (over a lower layer's) and removed, and its file bytes.</summary>
public sealed record LayerChanges(int Added, int Changed, int Removed, long ContentSize);
