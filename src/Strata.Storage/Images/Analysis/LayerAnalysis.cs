using Strata.Oci;

namespace Strata.Storage.Images.Analysis;

/// <summary>
/// What one layer does to the file tree: files it adds, changes (overwrites from a lower layer) and removes
/// (whiteouts), the bytes of file content it ships, and how many of those bytes a later layer throws away.
/// </summary>
public sealed record LayerAnalysis(
    int Index,
    Digest Digest,
    long CompressedSize,
    long ContentSize,
    int Added,
    int Changed,
    int Removed,
    long WastedLater,
    string CreatedBy);
