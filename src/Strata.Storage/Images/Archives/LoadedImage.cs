using Strata.Oci;

namespace Strata.Storage.Images.Archives;

/// <summary>An image <c>load</c> registered, and the names it got (none: print the ID).</summary>
public sealed record LoadedImage(Digest Id, IReadOnlyList<Reference> Names);
