using Strata.Oci;

namespace Strata.Storage.Images;

/// <summary>
/// One layer of a stored image, bottom first: the blob as stored (<see cref="Digest"/>, <see cref="Size"/>,
/// <see cref="MediaType"/>), its uncompressed digest (<see cref="DiffId"/>) and size when known, and the
/// <see cref="ChainId"/> naming the committed snapshot of the stack up to and including it.
/// </summary>
public sealed record ImageLayer(
    int Index,
    Digest Digest,
    string MediaType,
    long Size,
    Digest DiffId,
    Digest ChainId,
    long? UncompressedSize);
