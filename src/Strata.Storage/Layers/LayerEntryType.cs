namespace Strata.Storage.Layers;

/// <summary>The kinds of tar entries a layer may hold (POSIX ustar typeflags).</summary>
public enum LayerEntryType
{
    RegularFile,
    Directory,
    Symlink,
    Hardlink,
    CharDevice,
    BlockDevice,
    Fifo,
}
