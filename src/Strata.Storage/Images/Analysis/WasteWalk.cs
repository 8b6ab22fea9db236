namespace Strata.Storage.Images.Analysis;

/// <summary>The result of <see cref="WasteWalker.WalkAsync"/>: per-layer changes and every hidden copy, in walk order.</summary>
public sealed record WasteWalk(IReadOnlyList<LayerChanges> Layers, IReadOnlyList<LayerWaste> Waste)
{
    /// <summary>File bytes every layer ships together.</summary>
    public long TotalContentSize => Layers.Sum(l => l.ContentSize);

    /// <summary>Bytes shipped and then hidden by a later layer.</summary>
    public long WastedBytes => Waste.Sum(w => w.Bytes);
}
