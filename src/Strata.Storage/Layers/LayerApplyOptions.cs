namespace Strata.Storage.Layers;

public sealed record LayerApplyOptions
{
    public WhiteoutMode Whiteouts { get; init; } = WhiteoutMode.Overlay;

    public DevicePolicy Devices { get; init; } = DevicePolicy.Refuse;

    /// <summary>Expected compressed digest (the blob digest) to verify in the same pass; null skips.</summary>
    public Strata.Oci.Digest? ExpectedDigest { get; init; }

    /// <summary>Expected uncompressed digest (DiffID) to verify in the same pass; null skips.</summary>
    public Strata.Oci.Digest? ExpectedDiffId { get; init; }
}
