using Strata.Oci;

namespace Strata.Storage.Layers;

/// <summary>The layer a diff produced: blob digest and size (as stored), DiffID (uncompressed tar).</summary>
public sealed record LayerDiffResult(Digest Digest, long Size, Digest DiffId, long UncompressedSize, string MediaType);
