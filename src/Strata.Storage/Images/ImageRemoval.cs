using Strata.Oci;

namespace Strata.Storage.Images;

/// <summary>What an <c>rmi</c> did, in docker's vocabulary: names untagged, then images deleted.</summary>
public sealed record ImageRemoval(IReadOnlyList<string> Untagged, IReadOnlyList<Digest> Deleted);
