namespace Strata.Registry.Proxy;

/// <summary>A manifest as the upstream served it: raw bytes and media type.</summary>
public sealed record UpstreamManifest(byte[] Bytes, string MediaType);
