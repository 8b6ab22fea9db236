using Strata.Oci;

namespace Strata.Distribution.Push;

/// <summary>A pushed tag: the manifest digest and size the registry now serves for it.</summary>
public sealed record PushResult(Reference Reference, Digest Digest, long Size);
