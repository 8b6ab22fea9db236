using Strata.Oci;

namespace Strata.Distribution.Protocol;

/// <summary>A fetched manifest or index: its exact bytes, media type and (verified) digest.</summary>
public sealed record ManifestResponse(ReadOnlyMemory<byte> Raw, string MediaType, Digest Digest)
{
    public bool IsIndex => MediaTypes.IsIndex(MediaType);

    public Descriptor ToDescriptor() => new() { MediaType = MediaType, Digest = Digest, Size = Raw.Length };
}
