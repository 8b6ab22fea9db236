namespace Strata.Storage.Layers;

public sealed record LayerApplyOptions
{
    public WhiteoutMode Whiteouts { get; init; } = WhiteoutMode.Overlay;

    public DevicePolicy Devices { get; init; } = DevicePolicy.Refuse;

    /// <summary>Expected compressed digest (the blob digest) to verify in the same pass; null skips.</summary>
    public Strata.Oci.Digest? ExpectedDigest { get; init; }

    /// <summary>Expected uncompressed digest (DiffID) to verify in the same pass; null skips.</summary>
    public Strata.Oci.Digest? ExpectedDiffId { get; init; }

    /// <summary>
    /// Where the archive's names start, relative to the target (ADD's destination directory, already inside it):
    /// names and hardlink targets cannot climb above it, while symlinks still resolve against the whole target,
    /// as a chroot into it would. Empty: the target itself.
    /// </summary>
    public string Subdirectory { get; init; } = "";

    /// <summary>An owner for every entry instead of the archive's (ADD --chown).</summary>
    public (long Uid, long Gid)? Owner { get; init; }

    /// <summary>Permission bits for every entry but symlinks instead of the archive's (ADD --chmod).</summary>
    public uint? Mode { get; init; }
}
