namespace Strata.Storage.Images.Analysis;

/// <summary>A path whose content was shipped and then deleted or overwritten by a later layer, <see cref="Count"/> times.</summary>
public sealed record WastedFile(string Path, long WastedBytes, int Count);
