namespace Strata.Storage.Layers;

/// <summary>Writes a directory (or an overlay upper dir) back as a layer blob.</summary>
public interface ILayerDiffer
{
    /// <summary>
    /// Writes <paramref name="dir"/> as a tar, sorted and with normalized metadata so the same tree gives the
    /// same digest, converting overlayfs whiteouts (0/0 char devices, opaque xattrs) to OCI whiteouts
    /// (<c>.wh.name</c>, <c>.wh..wh..opq</c>) when <paramref name="overlayWhiteouts"/> is set. The blob goes to
    /// <paramref name="output"/> compressed as asked; digest and DiffID come from the same pass.
    /// </summary>
    Task<LayerDiffResult> DiffAsync(string dir, Stream output, LayerCompression compression, bool overlayWhiteouts, CancellationToken cancellationToken = default);
}
