using Strata.Oci;

namespace Strata.Storage.Layers;

/// <summary>Errors for malformed or hostile layer tars, with the stable codes callers and tests branch on.</summary>
public static class LayerErrors
{
    public const string UnsafePath = "LAYER_UNSAFE_PATH";
    public const string InvalidTar = "LAYER_INVALID_TAR";
    public const string Unsupported = "LAYER_UNSUPPORTED_ENTRY";
    public const string DeviceRefused = "LAYER_DEVICE_REFUSED";
    public const string InvalidLink = "LAYER_INVALID_LINK";
    public const string DigestMismatch = "LAYER_DIGEST_MISMATCH";
    public const string DiffIdMismatch = "LAYER_DIFFID_MISMATCH";
    public const string Corrupt = "LAYER_CORRUPT";

    public static StrataException Unsafe(string entry, string why) =>
        StrataException.Invalid(UnsafePath, $"refusing layer entry \"{entry}\": {why}");

    /// <summary>The compressed stream itself is broken (bad gzip or zstd data): what the decompressor said.</summary>
    public static StrataException Corrupted(Exception decompressor) =>
        StrataException.DataLoss(Corrupt, $"layer blob is corrupt: {decompressor.Message}");

    public static StrataException Malformed(string why) =>
        StrataException.Invalid(InvalidTar, $"invalid layer tar: {why}");
}
