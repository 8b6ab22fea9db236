namespace Strata.Storage.Layers;

/// <summary>
/// One entry of a layer as <see cref="LayerReader"/> lists it, without extracting. <see cref="Path"/> is
/// normalized and relative (no leading <c>/</c> or <c>./</c>). For whiteouts it is the path they hide:
/// the deleted NAME for <c>.wh.NAME</c>, the directory for <c>.wh..wh..opq</c>.
/// </summary>
public sealed record LayerEntry(
    string Path,
    LayerEntryType Type,
    long Size,
    uint Mode,
    long Uid,
    long Gid,
    string LinkTarget,
    long MtimeSeconds,
    LayerWhiteout Whiteout);
