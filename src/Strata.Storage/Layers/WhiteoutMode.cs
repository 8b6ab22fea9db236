namespace Strata.Storage.Layers;

/// <summary>What applying a layer does with OCI whiteouts (image-spec layer.md#whiteouts).</summary>
public enum WhiteoutMode
{
    /// <summary>Write overlayfs whiteouts (0/0 char devices, <c>trusted.overlay.opaque=y</c>): the layer dir is an overlay lowerdir.</summary>
    Overlay,

    /// <summary>Delete the whited-out paths from the target: the target is a flattened tree (vfs driver, export).</summary>
    Delete,

    /// <summary>
    /// No whiteouts: the archive is not a layer (ADD of a local tar), so <c>.wh.</c> names are ordinary names,
    /// as docker's untar treats them.
    /// </summary>
    Literal,
}
