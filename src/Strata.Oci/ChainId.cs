using System.Text;

namespace Strata.Oci;

/// <summary>
/// Chain IDs (OCI image spec, config.md#layer-chainid): ChainID(L0) = DiffID(L0),
/// ChainID(L0..n) = sha256(ChainID(L0..n-1) + " " + DiffID(Ln)). A chain names a stack of layers.
/// </summary>
public static class ChainId
{
    public static Digest Next(Digest? parent, Digest diffId) =>
        parent is null ? diffId : Digest.Compute(Encoding.ASCII.GetBytes($"{parent} {diffId}"));

    /// <summary>Every prefix's chain ID, bottom first.</summary>
    public static IReadOnlyList<Digest> All(IEnumerable<Digest> diffIds)
    {
        var result = new List<Digest>();
        Digest? parent = null;
        foreach (var d in diffIds)
        {
            parent = Next(parent, d);
            result.Add(parent.Value);
        }

        return result;
    }
}
