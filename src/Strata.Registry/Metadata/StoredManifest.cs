using Strata.Oci;

namespace Strata.Registry.Metadata;

/// <summary>A manifest a repository holds: its digest, media type and byte size (the bytes are a blob).</summary>
public sealed record StoredManifest(Digest Digest, string MediaType, long Size);
