namespace Strata.Build.Analysis;

/// <summary>
/// One finding about an image's layers: bytes an earlier layer added that a later layer deleted or
/// overwrote (<see cref="SlimmingKind.Wasted"/>), or a package manager cache left in a layer
/// (<see cref="SlimmingKind.PackageCache"/>). Layer indexes are 0-based positions in the manifest.
/// </summary>
public sealed record SlimmingAdvice(
    SlimmingKind Kind,
    int LayerIndex,
    string? LayerCreatedBy,
    int? EarlierLayerIndex,
    string? EarlierCreatedBy,
    long Bytes,
    IReadOnlyList<string> Paths,
    string Message);
