namespace Strata.Storage.Layers;

/// <summary>Unpacks a layer blob into a directory.</summary>
public interface ILayerApplier
{
    /// <summary>
    /// Applies <paramref name="blob"/> (gzip, zstd or plain tar, detected from the magic bytes) onto
    /// <paramref name="targetDir"/>. Digest and DiffID are computed in the same pass and verified when
    /// the options carry them. Never writes outside <paramref name="targetDir"/>: absolute names,
    /// <c>..</c>, symlink and hardlink escapes are refused (InvalidArgument, LAYER_UNSAFE_PATH).
    /// </summary>
    Task<LayerApplyResult> ApplyAsync(Stream blob, string targetDir, LayerApplyOptions options, CancellationToken cancellationToken = default);
}
