namespace Strata.Storage.Images.Analysis;

/// <summary>
/// Bytes a layer shipped that a later one hides: <see cref="Layer"/> deletes (whiteout, opaque directory, a
/// file replacing a directory) or overwrites <see cref="Path"/>, which layer <see cref="EarlierLayer"/> added.
/// </summary>
public sealed record LayerWaste(int Layer, int EarlierLayer, string Path, long Bytes, bool Deleted);
