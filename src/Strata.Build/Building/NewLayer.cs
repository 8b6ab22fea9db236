using Strata.Oci;

namespace Strata.Build.Building;

/// <summary>A layer a step produced: its manifest descriptor, DiffID and the snapshot (chain ID) holding it.</summary>
internal sealed record NewLayer(Descriptor Descriptor, Digest DiffId, string ChainId);
