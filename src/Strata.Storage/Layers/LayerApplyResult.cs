using Strata.Oci;

namespace Strata.Storage.Layers;

/// <summary>What an apply saw: the blob digest and DiffID hashed while extracting, and the bytes unpacked.</summary>
public sealed record LayerApplyResult(Digest Digest, Digest DiffId, long CompressedSize, long UncompressedSize, long Entries);
