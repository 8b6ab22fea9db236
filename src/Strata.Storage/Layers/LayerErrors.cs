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
    public const string PathTooLong = "LAYER_PATH_TOO_LONG";

    public static StrataException Unsafe(string entry, string why) =>
        StrataException.Invalid(UnsafePath, $"refusing layer entry \"{entry}\": {why}");

    /// <summary>The compressed stream itself is broken (bad gzip or zstd data): what the decompressor said.</summary>
    public static StrataException Corrupted(Exception decompressor) =>
        StrataException.DataLoss(Corrupt, $"layer blob is corrupt: {decompressor.Message}");

    /// <summary>A name the kernel's path calls cannot take; the entry name is shortened in the message.</summary>
    public static StrataException TooLong(string entry, string why) =>
        StrataException.Invalid(PathTooLong, $"refusing layer entry \"{(entry.Length > 80 ? entry[..80] + "..." : entry)}\": {why}");

    public static StrataException Malformed(string why) =>
        StrataException.Invalid(InvalidTar, $"invalid layer tar: {why}");
}
