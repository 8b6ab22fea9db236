namespace Strata.Storage.Layers;

/// <summary>
/// One tar entry's header as the layer codec reads and writes it: ustar fields with PAX overrides applied.
/// Extended attributes (PAX <c>SCHILY.xattr.*</c>) are kept as raw bytes because values such as
/// <c>security.capability</c> are binary.
/// </summary>
public sealed class TarEntryHeader
{
    /// <summary>The name as stored in the archive (not normalized; may end with '/').</summary>
    public required string Name { get; init; }

    public required LayerEntryType Type { get; init; }

    public string LinkName { get; init; } = "";

    /// <summary>Permission bits including setuid/setgid/sticky (07777).</summary>
    public uint Mode { get; init; }

    public long Uid { get; init; }

    public long Gid { get; init; }

    /// <summary>
    /// The file's size (regular files only; zero for the others): the bytes of data that follow, or for a sparse
    /// file its real size, holes included.
    /// </summary>
    public long Size { get; init; }

    /// <summary>
    /// For a GNU sparse file (PAX <c>GNU.sparse.*</c>), where its data fragments go, in order; the data that follows
    /// is their concatenation. Null for an ordinary file.
    /// </summary>
    public IReadOnlyList<SparseSegment>? Sparse { get; init; }

    public long MtimeSeconds { get; init; }

    public uint MtimeNanos { get; init; }

    public uint DevMajor { get; init; }

    public uint DevMinor { get; init; }

    public SortedDictionary<string, byte[]> Xattrs { get; init; } = new(StringComparer.Ordinal);
}
