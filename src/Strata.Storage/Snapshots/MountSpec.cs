namespace Strata.Storage.Snapshots;

/// <summary>
/// A mount description (containerd mount.Mount): what to mount, not a mount. The caller (runtime bundle,
/// builder, export) decides when to mount it, e.g. <c>overlay</c> with <c>lowerdir=..,upperdir=..,workdir=..</c>
/// or <c>bind</c> with <c>rbind,ro</c>.
/// </summary>
public sealed record MountSpec(string Type, string Source, IReadOnlyList<string> Options);
