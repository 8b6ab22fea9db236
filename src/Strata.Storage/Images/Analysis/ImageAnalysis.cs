using Strata.Oci;

namespace Strata.Storage.Images.Analysis;

/// <summary>
/// dive-style analysis of an image. <see cref="WastedBytes"/> = bytes of files added in one layer that a later
/// layer deletes or overwrites; <see cref="Efficiency"/> = 1 - wasted / all file bytes shipped.
/// </summary>
public sealed record ImageAnalysis(
    Digest Id,
    IReadOnlyList<LayerAnalysis> Layers,
    long TotalContentSize,
    long WastedBytes,
    double Efficiency,
    IReadOnlyList<WastedFile> TopWasted);
