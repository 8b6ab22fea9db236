namespace Strata.Storage.Layers;

/// <summary>One data fragment of a sparse file: <see cref="Length"/> bytes at <see cref="Offset"/>; the rest is a hole.</summary>
public readonly record struct SparseSegment(long Offset, long Length);
