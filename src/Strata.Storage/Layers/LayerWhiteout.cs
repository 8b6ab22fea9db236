namespace Strata.Storage.Layers;

/// <summary>OCI whiteouts (image-spec layer.md#whiteouts) as a layer entry may carry them.</summary>
public enum LayerWhiteout
{
    None,

    /// <summary><c>.wh.NAME</c>: NAME from lower layers is deleted.</summary>
    File,

    /// <summary><c>.wh..wh..opq</c>: the directory's content from lower layers is hidden.</summary>
    Opaque,
}
