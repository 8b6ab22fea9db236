namespace Strata.Storage.Snapshots;

/// <summary>
/// A mount description (containerd mount.Mount): what to mount, not a mount. The caller (runtime bundle,
/// builder, export) decides when to mount it, e.g. <c>overlay</c> with <c>lowerdir=..,upperdir=..,workdir=..</c>
/// or <c>bind</c> with <c>rbind,ro</c>. <see cref="Mounter"/> mounts these (including overlay stacks whose option
/// string is longer than the kernel's page limit, which an OCI runtime given the spec directly would reject).
/// Two specs are equal when type, source and options (in order) are.
/// </summary>
public sealed record MountSpec(string Type, string Source, IReadOnlyList<string> Options)
{
    public bool Equals(MountSpec? other) =>
        other is not null && Type == other.Type && Source == other.Source && Options.SequenceEqual(other.Options);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Type);
        hash.Add(Source);
        foreach (var o in Options)
        {
            hash.Add(o);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => $"{Type} {Source} {string.Join(',', Options)}";
}
