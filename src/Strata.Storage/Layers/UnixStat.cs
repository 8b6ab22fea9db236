namespace Strata.Storage.Layers;

/// <summary>What <c>statx(AT_SYMLINK_NOFOLLOW)</c> reports about a path: never follows a final symlink.</summary>
public readonly record struct UnixStat(
    uint Mode,
    uint Uid,
    uint Gid,
    ulong Inode,
    ulong Device,
    uint Links,
    long Size,
    long MtimeSeconds,
    uint MtimeNanos,
    uint RdevMajor,
    uint RdevMinor)
{
    public const uint TypeMask = 0xF000;
    public const uint TypeSocket = 0xC000;
    public const uint TypeSymlink = 0xA000;
    public const uint TypeFile = 0x8000;
    public const uint TypeBlock = 0x6000;
    public const uint TypeDirectory = 0x4000;
    public const uint TypeChar = 0x2000;
    public const uint TypeFifo = 0x1000;

    /// <summary>512-byte blocks the file occupies on disk (less than its size when it has holes).</summary>
    public long Blocks { get; init; }

    public uint FileType => Mode & TypeMask;

    /// <summary>Permission bits including setuid, setgid and sticky (07777).</summary>
    public uint Permissions => Mode & 0xFFF;

    public bool IsDirectory => FileType == TypeDirectory;

    public bool IsSymlink => FileType == TypeSymlink;

    public bool IsRegular => FileType == TypeFile;

    /// <summary>An overlayfs whiteout: a character device 0/0.</summary>
    public bool IsOverlayWhiteout => FileType == TypeChar && RdevMajor == 0 && RdevMinor == 0;
}
