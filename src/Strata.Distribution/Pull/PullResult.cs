using Strata.Oci;
using Strata.Storage.Images;

namespace Strata.Distribution.Pull;

/// <summary>
/// A finished pull: the reference as pulled, the digest the registry served for it (an index digest for a
/// multi-platform image), the stored image, and whether it was already up to date.
/// </summary>
public sealed record PullResult(Reference Reference, Digest Digest, ImageRecord Image, bool UpToDate);
